package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cancel: a job that has not ended is CANCELLED and its sandbox killed; an ended job stays; another owner's job is not found. */
class JobCancellationTest {
    private final JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);

    @Test
    void aQueuedJobIsCancelledWithoutASandboxEverBeingMade() {
        String jobId = jobs.intake.submit(JobsOnFakes.OWNER, JobsOnFakes.job(60), null).jobId();

        assertEquals(JobStatus.CANCELLED, jobs.cancellation.cancel(JobsOnFakes.OWNER, jobId).status());
        jobs.launcher.launch(java.util.List.of());
        assertEquals(0, jobs.sandboxes.created);
    }

    @Test
    void aRunningJobsSandboxIsKilledAndItsSlotGivenBackOnce() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        String sandbox = jobs.sandboxOf(jobId);

        Job cancelled = jobs.cancellation.cancel(JobsOnFakes.OWNER, jobId);
        Job again = jobs.cancellation.cancel(JobsOnFakes.OWNER, jobId);

        assertEquals(JobStatus.CANCELLED, cancelled.status());
        assertTrue(jobs.sandboxes.killed.contains(sandbox));
        assertEquals(cancelled.finishedAt(), again.finishedAt(), "a second cancel changes nothing");
        assertEquals(0, jobs.store.slotsHeld());
    }

    @Test
    void anEndedJobStaysAsItIsAndAnotherOwnersJobIsNotFound() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), "command 0", "", Map.of());
        jobs.finalizer.look(jobs.job(jobId));

        assertEquals(JobStatus.SUCCEEDED, jobs.cancellation.cancel(JobsOnFakes.OWNER, jobId).status());
        assertEquals("JOB_NOT_FOUND", assertThrows(JobNotFoundException.class, () -> jobs.cancellation.cancel("bob", jobId)).code());
    }
}
