package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.sandbox.Egress;
import dev.e2bjobs.sandbox.SandboxSpec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweep: each step on its own, and a failing step never keeps the others from running. */
class JobSweeperTest {
    private final JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);

    private String sandboxOfDeployment(String deployment, String jobId) {
        return jobs.sandboxes.create(new SandboxSpec(jobId, "base", Duration.ofMinutes(5), Map.of(),
                Map.of(JobLauncher.DEPLOYMENT_KEY, deployment), Egress.NONE)).sandboxId();
    }

    @Test
    void aFinishedJobNobodyLookedAtIsFinalized() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), "command 0", "swept\n", Map.of());

        SweepReport report = jobs.sweeper.sweep();

        assertEquals(1, report.step("finalize").acted());
        assertEquals(JobStatus.SUCCEEDED, jobs.job(jobId).status());
        assertEquals("swept\n", jobs.job(jobId).output().stdout().text());
    }

    @Test
    void queuedJobsALostHandOffLeftWaitingAreLaunched() {
        String jobId = jobs.intake.submit(JobsOnFakes.OWNER, JobsOnFakes.job(60), null).jobId();

        assertEquals(1, jobs.sweeper.sweep().step("launch").acted());
        assertEquals(JobStatus.RUNNING, jobs.job(jobId).status());
    }

    @Test
    void anEndedJobWithoutARecordedSandboxGetsItsSlotBackOnceItsStarterHadTimeToCleanUp() {
        String jobId = jobs.intake.submit(JobsOnFakes.OWNER, JobsOnFakes.job(60), null).jobId();
        Job starting = jobs.store.takeSlot(jobs.job(jobId).starting(jobs.clock.instant().plusSeconds(180)), 20);
        String leftBehind = sandboxOfDeployment("test", jobId); // its launcher died after creating it
        jobs.cancellation.cancel(JobsOnFakes.OWNER, jobId);
        assertTrue(jobs.job(jobId).slotHeld(), starting.toString());

        assertEquals(0, jobs.sweeper.sweep().step("release-ended").acted(), "its starter may still be at work");
        jobs.clock.advance(jobs.settings.startGrace().plusSeconds(1));
        assertEquals(1, jobs.sweeper.sweep().step("release-ended").acted());

        assertEquals(0, jobs.store.slotsHeld());
        assertTrue(jobs.sandboxes.killed.contains(leftBehind));
    }

    @Test
    void onlyOldSandboxesOfThisDeploymentWithoutALiveJobAreReaped() {
        String running = jobs.submitAndLaunch(JobsOnFakes.job(600));
        String orphan = sandboxOfDeployment("test", "nobody");
        String foreign = sandboxOfDeployment("another", "nobody");

        assertEquals(0, jobs.sweeper.sweep().step("reap-orphans").acted(), "a young sandbox may be one whose job has not recorded it yet");
        jobs.clock.advance(jobs.settings.startGrace().plusSeconds(1));
        assertEquals(1, jobs.sweeper.sweep().step("reap-orphans").acted());

        assertTrue(jobs.sandboxes.killed.contains(orphan));
        assertTrue(jobs.sandboxes.sandboxes.containsKey(foreign), "another deployment's sandbox is not ours");
        assertTrue(jobs.sandboxes.sandboxes.containsKey(jobs.sandboxOf(running)), "a running job keeps its sandbox");
    }

    @Test
    void theSandboxOfAJobRunningInItCostsNoReadOfTheJob() {
        jobs.submitAndLaunch(JobsOnFakes.job(600));
        jobs.submitAndLaunch(JobsOnFakes.job(600));
        String orphan = sandboxOfDeployment("test", "nobody");
        jobs.clock.advance(jobs.settings.startGrace().plusSeconds(1));
        jobs.store.finds = 0;

        assertEquals(1, jobs.sweeper.sweep().step("reap-orphans").acted());

        assertTrue(jobs.sandboxes.killed.contains(orphan));
        assertEquals(1, jobs.store.finds, "only the orphan's job was looked up");
    }

    @Test
    void aStepThatFailsIsReportedAndTheOthersStillRun() {
        String orphan = sandboxOfDeployment("test", "nobody");
        jobs.clock.advance(jobs.settings.startGrace().plusSeconds(1));
        jobs.store.queueReadFailure = new IllegalStateException("DynamoDB is throttling");

        SweepReport report = jobs.sweeper.sweep();

        assertEquals(1, report.step("launch").failed(), report.toString());
        assertTrue(report.step("launch").error().contains("DynamoDB is throttling"));
        assertEquals(1, report.step("reap-orphans").acted(), "reaping, which stops the spending, ran all the same");
        assertTrue(jobs.sandboxes.killed.contains(orphan));
    }
}
