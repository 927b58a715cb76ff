package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Status with a wait: a running job's runner is followed, and its end answers the wait at once. */
class JobQueriesTest {
    private final JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);

    @Test
    void aWaitFollowsTheRunnerAndAnswersWithTheJobsEndAsSoonAsItExits() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        assertEquals(100L, jobs.job(jobId).runnerPid(), "the runner's pid is recorded when it starts");
        jobs.sandboxes.onAwait = () -> jobs.sandboxes.finish(jobs.sandboxOf(jobId), "command 0", "done\n", Map.of());

        Job done = jobs.queries.status(JobsOnFakes.OWNER, jobId, Duration.ofSeconds(20));

        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals("done\n", done.output().stdout().text());
    }

    @Test
    void aRunningJobWaitedForIsFollowedBeforeItsSandboxIsRead() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        jobs.sandboxes.calls.clear();
        jobs.sandboxes.onAwait = () -> {
            assertEquals(null, jobs.sandboxes.calls.get(FakeSandboxGateway.Op.READ), "nothing to read while it runs");
            jobs.sandboxes.finish(jobs.sandboxOf(jobId), "command 0", "done\n", Map.of());
        };

        assertEquals(JobStatus.SUCCEEDED, jobs.queries.status(JobsOnFakes.OWNER, jobId, Duration.ofSeconds(20)).status());
    }

    @Test
    void withoutAWaitTheJobComesBackAsItIsNow() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        jobs.sandboxes.onAwait = () -> {
            throw new AssertionError("no wait was asked for");
        };

        assertEquals(JobStatus.RUNNING, jobs.queries.status(JobsOnFakes.OWNER, jobId, Duration.ZERO).status());
    }
}
