package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Submits: stored QUEUED and handed to the launcher, never an E2B call; batches and Idempotency-Keys. */
class JobIntakeTest {
    private final JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);
    private static final String OWNER = JobsOnFakes.OWNER;

    @Test
    void aSubmitIsStoredQueuedAndHandedToTheLauncherWithoutTouchingE2b() {
        Job job = jobs.intake.submit(OWNER, JobsOnFakes.job(60), null);

        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(job, jobs.job(job.jobId()));
        assertEquals(List.of(List.of(job.jobId())), jobs.launches.triggered, "the launcher is told which job to start");
        assertEquals(0, jobs.sandboxes.created);
    }

    @Test
    void aBatchIsStoredWholeOrNotAtAll() {
        List<Job> batch = jobs.intake.submitBatch(OWNER, List.of(JobsOnFakes.job(60), JobsOnFakes.job(61)), null);
        assertEquals(2, batch.size());
        assertEquals(List.of(batch.stream().map(Job::jobId).toList()), jobs.launches.triggered, "one hand-off for the batch");

        JobRequest invalid = new JobRequest(Map.of("/etc/passwd", JobRequest.FileContent.text("x")), "true", null, null, null, null, null,
                null, null, null, null);
        InvalidJobRequestException rejected = assertThrows(InvalidJobRequestException.class,
                () -> jobs.intake.submitBatch(OWNER, List.of(JobsOnFakes.job(60), invalid), null));
        assertEquals("PATH_ABSOLUTE", rejected.code());
        assertTrue(rejected.getMessage().startsWith("jobs[1]: "), rejected.getMessage());
        assertEquals("BATCH_SIZE", assertThrows(InvalidJobRequestException.class,
                () -> jobs.intake.submitBatch(OWNER, Collections.nCopies(21, JobsOnFakes.job(60)), null)).code());
        assertEquals(2, jobs.store.list(OWNER, null, null, null, 100).jobs().size(), "the rejected batches stored nothing");
    }

    @Test
    void theSameKeyAndPayloadGetsTheSameJobsAnotherPayloadIsAConflict() {
        String first = jobs.intake.submit(OWNER, JobsOnFakes.job(60), "k1").jobId();
        assertEquals(first, jobs.intake.submit(OWNER, JobsOnFakes.job(60), "k1").jobId());
        assertEquals("IDEMPOTENCY_KEY_REUSED", assertThrows(IdempotencyConflictException.class,
                () -> jobs.intake.submit(OWNER, JobsOnFakes.job(61), "k1")).code());
        assertTrue(!first.equals(jobs.intake.submit("bob", JobsOnFakes.job(60), "k1").jobId()), "keys are per owner");

        List<String> batch = jobs.intake.submitBatch(OWNER, List.of(JobsOnFakes.job(1), JobsOnFakes.job(2)), "k2").stream()
                .map(Job::jobId).toList();
        assertEquals(batch, jobs.intake.submitBatch(OWNER, List.of(JobsOnFakes.job(1), JobsOnFakes.job(2)), "k2").stream()
                .map(Job::jobId).toList());
        assertEquals("IDEMPOTENCY_KEY_REUSED", assertThrows(IdempotencyConflictException.class,
                () -> jobs.intake.submitBatch(OWNER, List.of(JobsOnFakes.job(2), JobsOnFakes.job(1)), "k2")).code());
        assertEquals(3, jobs.store.list(OWNER, null, null, null, 100).jobs().size());
    }

    @Test
    void aRepeatWhileTheFirstRequestIsServedIsToldToRetry() {
        String hash = SpecHash.of(List.of(new JobValidator(TestSettings.DEFAULTS).validate(JobsOnFakes.job(60))));
        jobs.keys.claim(new IdempotencyRecord(OWNER, "k", hash, List.of("01JD0000000000000000000000"), false,
                jobs.clock.instant().plusSeconds(60), jobs.clock.instant().plusSeconds(3600)));
        assertEquals("REQUEST_IN_PROGRESS", assertThrows(IdempotencyConflictException.class,
                () -> jobs.intake.submit(OWNER, JobsOnFakes.job(60), "k")).code());
    }

    @Test
    void aRetryAfterAFailureThatStoredTheJobsGetsThoseJobsNotASecondSet() {
        jobs.store.loseNextCreateAnswer = new IllegalStateException("DynamoDB answer lost");
        assertThrows(IllegalStateException.class,
                () -> jobs.intake.submitBatch(OWNER, List.of(JobsOnFakes.job(1), JobsOnFakes.job(2)), "k"));
        List<String> stored = jobs.store.list(OWNER, null, null, null, 100).jobs().stream().map(JobSummary::jobId).sorted().toList();
        assertEquals(2, stored.size(), "the failed request did store its jobs");

        List<String> retried = jobs.intake.submitBatch(OWNER, List.of(JobsOnFakes.job(1), JobsOnFakes.job(2)), "k").stream()
                .map(Job::jobId).sorted().toList();
        assertEquals(stored, retried);
        assertEquals(2, jobs.store.list(OWNER, null, null, null, 100).jobs().size());
        assertEquals(retried, jobs.intake.submitBatch(OWNER, List.of(JobsOnFakes.job(1), JobsOnFakes.job(2)), "k").stream()
                .map(Job::jobId).sorted().toList(), "and the key now answers with them");
    }

    @Test
    void anOwnerOverItsQuotaIsToldToComeBackAndStoresNothing() {
        for (int i = 0; i < TestSettings.QUOTA.maxUnfinished(); i++) {
            jobs.intake.submit(OWNER, JobsOnFakes.job(60), null);
        }
        QuotaExceededException refused = assertThrows(QuotaExceededException.class, () -> jobs.intake.submit(OWNER, JobsOnFakes.job(60), null));
        assertEquals("QUOTA_EXCEEDED", refused.code());
        assertEquals(5, jobs.store.list(OWNER, null, null, null, 100).jobs().size());
        assertEquals(JobStatus.QUEUED, jobs.intake.submit("bob", JobsOnFakes.job(60), null).status(), "another owner has a quota of its own");
        assertEquals(6, jobs.intake.submitBatch("big-owner", Collections.nCopies(6, JobsOnFakes.job(60)), null).size());

        jobs.cancellation.cancel(OWNER, jobs.store.list(OWNER, null, null, null, 1).jobs().get(0).jobId());
        assertEquals(JobStatus.QUEUED, jobs.intake.submit(OWNER, JobsOnFakes.job(60), null).status(), "an ended job makes room");
    }

    @Test
    void filesTooLargeToKeepWithAQueuedJobWaitInTheArtifactStore() {
        JobRequest large = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)"),
                "data.txt", JobRequest.FileContent.text("0123456789abcdefghij")), "python main.py", null, null, null, null, 60, null, null, null, null);
        Job job = jobs.intake.submit(OWNER, large, null);

        assertEquals(List.of(), job.spec().files(), "the stored job holds no file bytes");
        assertTrue(jobs.artifacts.stored.containsKey(job.jobId() + "/" + Runner.BUNDLE));
        assertEquals(JobStatus.QUEUED, jobs.intake.submit(OWNER, JobsOnFakes.job(60), null).status());
    }

    @Test
    void aBatchSharesOneTransactionsWorthOfInlineFiles() {
        JobSettings roomy = new JobSettings(200, 262_144, 4_194_304, 204_800, 300, 3300, 300, 50, TestSettings.DEFAULTS.templates(), "base",
                20, Duration.ofMinutes(2), 8, 10, 100, Duration.ofHours(24), Duration.ofMinutes(3), TestSettings.LAUNCH,
                new JobSettings.Quota(100, Map.of()), List.of(), TestSettings.WEBHOOKS, "test");
        JobsOnFakes roomyJobs = new JobsOnFakes(roomy);
        JobRequest job = new JobRequest(Map.of("data.txt", JobRequest.FileContent.text("x".repeat(180_000))), "true", null, null, null,
                null, 60, null, null, null, null);

        assertEquals(1, roomyJobs.intake.submit(OWNER, job, null).spec().files().size(), "alone, 180 kB stay with the job");
        List<Job> batch = roomyJobs.intake.submitBatch(OWNER, new ArrayList<>(Collections.nCopies(20, job)), null);
        assertTrue(batch.stream().allMatch(j -> j.spec().files().isEmpty() && j.spec().filesKey() != null),
                "20 of them would not fit one 4 MB transaction");
    }
}
