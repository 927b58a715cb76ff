package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jobs somebody is to be told about are followed from their start to their end, one budget at a time. */
class JobFollowerTest {
    private final JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);

    private static JobRequest withResultsInTheBucket() {
        return new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)")), "python main.py", null, null, null, null, 60, null,
                null, null, null, "s3");
    }

    @Test
    void aStartedJobIsHandedToAFollowerOnlyIfSomebodyIsToBeTold() {
        jobs.submitAndLaunch(JobsOnFakes.job(60));
        String toBucket = jobs.submitAndLaunch(withResultsInTheBucket());

        assertEquals(List.of(toBucket), jobs.followed, "a job with results in the bucket; a plain job is left to its callers and the sweep");
    }

    @Test
    void theFollowerEndsTheJobWhenItsRunnerExits() {
        String jobId = jobs.submitAndLaunch(withResultsInTheBucket());
        jobs.followed.clear();
        jobs.sandboxes.onAwait = () -> jobs.sandboxes.finish(jobs.sandboxOf(jobId), "command 0", "done\n", Map.of());

        Job followed = jobs.follower.follow(jobId, Duration.ofMinutes(14));

        assertEquals(JobStatus.SUCCEEDED, followed.status());
        assertEquals("SUCCEEDED 0", jobs.bucket.text("results/" + jobId + "/status.json"), "its results are in the bucket at once");
        assertEquals(List.of(), jobs.followed, "and nobody follows it any more");
    }

    @Test
    void aJobStillRunningWhenTheBudgetIsSpentGoesToTheNextFollower() {
        String jobId = jobs.submitAndLaunch(withResultsInTheBucket());
        jobs.followed.clear();

        assertEquals(JobStatus.RUNNING, jobs.follower.follow(jobId, Duration.ZERO).status());
        assertEquals(List.of(jobId), jobs.followed);
    }
}
