package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.sandbox.SandboxNotFoundException;
import dev.e2bjobs.sandbox.SandboxRateLimitedException;
import dev.e2bjobs.sandbox.SandboxRequestInvalidException;
import dev.e2bjobs.sandbox.SandboxSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job lifecycle on in-memory fakes: admission, failure paths, deadlines, sweep rules, results. */
class JobServiceTest {
    private static final String OWNER = "ann";

    /** A clock the test moves. */
    static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-11-21T09:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** Large results in memory. */
    static final class MemoryArtifacts implements ArtifactStore {
        final Map<String, byte[]> stored = new HashMap<>();

        @Override
        public String put(String jobId, String path, byte[] content) {
            stored.put(jobId + "/" + path, content);
            return jobId + "/" + path;
        }

        @Override
        public byte[] get(String key) {
            return stored.get(key);
        }

        @Override
        public Link link(String key) {
            return new Link("mem://" + key, Instant.EPOCH);
        }
    }

    private final TestClock clock = new TestClock();
    private final InMemoryJobStore store = new InMemoryJobStore(clock);
    private final FakeSandboxGateway sandboxes = new FakeSandboxGateway(clock);
    private final MemoryArtifacts artifacts = new MemoryArtifacts();

    private JobService service(int maxConcurrentSandboxes) {
        JobSettings s = JobValidatorTest.SETTINGS;
        JobSettings settings = new JobSettings(s.maxFiles(), s.maxFileBytes(), s.maxTotalBytes(), 20, s.defaultTimeoutSeconds(),
                s.maxTimeoutSeconds(), s.installTimeoutSeconds(), s.maxDependencies(), s.templates(), s.defaultTemplate(),
                maxConcurrentSandboxes, s.setupMargin(), 8, 10, 100, s.retention(), s.idempotencyExpiry(), s.startGrace(), "test");
        return new JobService(store, sandboxes, artifacts, settings, clock);
    }

    private static JobRequest job(int timeoutSeconds) {
        return new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)")), "python main.py", null,
                Map.of("SEED", "1"), null, timeoutSeconds, null, null);
    }

    private String sandboxOf(String jobId) {
        return store.find(jobId).orElseThrow().sandbox().sandboxId();
    }

    @Test
    void queuedJobsStartOldestFirstWhenASlotFrees() {
        JobService jobs = service(1);
        String first = jobs.submit(OWNER, job(60), null, Duration.ZERO).jobId();
        clock.advance(Duration.ofSeconds(1));
        String second = jobs.submit(OWNER, job(60), null, Duration.ZERO).jobId();
        clock.advance(Duration.ofSeconds(1));
        String third = jobs.submit(OWNER, job(60), null, Duration.ZERO).jobId();
        assertEquals(JobStatus.QUEUED, jobs.status(OWNER, third).status());

        sandboxes.finish(sandboxOf(first), "command 0", "done\n", Map.of());
        assertEquals(JobStatus.SUCCEEDED, jobs.status(OWNER, first).status());

        assertEquals(JobStatus.RUNNING, store.find(second).orElseThrow().status(), "the oldest queued job got the slot");
        assertEquals(JobStatus.QUEUED, store.find(third).orElseThrow().status());
    }

    @Test
    void theRunnerGetsTheJobsFilesEnvAndArgvAndTheSandboxOutlivesTheJobByTheSetupMargin() {
        String jobId = service(5).submit(OWNER, job(60), null, Duration.ZERO).jobId();
        FakeSandboxGateway.Box box = sandboxes.sandboxes.get(sandboxOf(jobId));

        assertArrayEquals("print(1)".getBytes(StandardCharsets.UTF_8), box.files().get(Runner.WORKDIR + "/main.py"));
        assertTrue(box.files().containsKey(Runner.META + "/runner.sh"));
        assertEquals(Map.of("SEED", "1"), box.spec().envVars());
        assertEquals(jobId, box.spec().allMetadata().get(SandboxSpec.JOB_ID_KEY));
        assertEquals(List.of(Runner.META + "/runner.sh", Runner.WORKDIR, "60", "300", "/bin/bash", "-c", "python main.py"),
                box.started().get(0).args());
        assertEquals(Duration.ofSeconds(60 + 300).plus(JobValidatorTest.SETTINGS.setupMargin()), box.spec().timeout());
    }

    @Test
    void filesTooLargeToKeepWithTheJobWaitInTheArtifactStoreUntilItStarts() {
        JobService jobs = service(0); // no slot: the job stays queued
        byte[] data = new byte[100];
        data[99] = 7;
        JobRequest large = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)"),
                "data.bin", JobRequest.FileContent.of(java.util.Base64.getEncoder().encodeToString(data), "base64")),
                "python main.py", null, null, null, 60, null, null);
        String jobId = jobs.submit(OWNER, large, null, Duration.ZERO).jobId();

        Job queued = store.find(jobId).orElseThrow();
        assertEquals(List.of(), queued.spec().files(), "the stored job holds no file bytes");
        assertTrue(artifacts.stored.containsKey(jobId + "/" + Runner.BUNDLE));

        JobService withSlots = service(5);
        withSlots.sweep();
        FakeSandboxGateway.Box box = sandboxes.sandboxes.get(sandboxOf(jobId));
        assertArrayEquals(data, box.files().get(Runner.WORKDIR + "/data.bin"), "the files reach the sandbox from the store");
    }

    @Test
    void startFailuresEndTheJobTruthfully() {
        JobService jobs = service(5);
        sandboxes.nextCreateFailure = new SandboxRateLimitedException("429 at the cap", null);
        String capped = jobs.submit(OWNER, job(60), null, Duration.ZERO).jobId();
        assertEquals(JobStatus.QUEUED, store.find(capped).orElseThrow().status(), "E2B at its cap: wait in the queue");

        // the next submit starts the oldest queued job first: the capped one, whose create now fails for good
        clock.advance(Duration.ofSeconds(1));
        sandboxes.nextCreateFailure = new SandboxRequestInvalidException("400 unknown template", null);
        JobView next = jobs.submit(OWNER, job(60), null, Duration.ZERO);
        assertEquals(JobStatus.RUNNING, next.status());
        Job invalid = store.find(capped).orElseThrow();
        assertEquals(JobStatus.FAILED, invalid.status());
        assertEquals("START_FAILED", invalid.error().code());

        sandboxes.nextUploadFailure = new SandboxNotFoundException("502 sandbox was not found", null);
        JobView lost = jobs.submit(OWNER, job(60), null, Duration.ZERO);
        assertEquals("SANDBOX_LOST", lost.error().code());
        assertTrue(sandboxes.killed.contains(store.find(lost.jobId()).orElseThrow().sandbox().sandboxId()));
    }

    @Test
    void aJobCancelledWhileItsSandboxWasCreatedLeavesNoSandbox() {
        JobService jobs = service(5);
        sandboxes.onCreate = () -> jobs.cancel(OWNER, store.active(10).get(0).jobId());
        String jobId = jobs.submit(OWNER, job(60), null, Duration.ZERO).jobId();

        assertEquals(JobStatus.CANCELLED, store.find(jobId).orElseThrow().status());
        assertTrue(sandboxes.sandboxes.isEmpty(), "the sandbox created for a cancelled job was killed");
    }

    @Test
    void aJobPastItsDeadlineTimesOutAndItsSandboxIsKilled() {
        JobService jobs = service(5);
        String jobId = jobs.submit(OWNER, job(60), null, Duration.ZERO).jobId();
        String sandbox = sandboxOf(jobId);

        clock.advance(Duration.ofSeconds(60 + 300));
        assertEquals(JobStatus.RUNNING, jobs.status(OWNER, jobId).status(), "install + run time is not over yet");
        clock.advance(Duration.ofSeconds(31));
        JobView late = jobs.status(OWNER, jobId);
        assertEquals(JobStatus.TIMED_OUT, late.status());
        assertTrue(sandboxes.killed.contains(sandbox));
    }

    @Test
    void theRunnersVerdictDecidesTheStatus() {
        JobService jobs = service(5);
        Map<String, String> expected = Map.of("command 0", "SUCCEEDED", "command 2", "FAILED/EXIT_NONZERO",
                "install 1", "FAILED/INSTALL_FAILED", "timeout 124", "TIMED_OUT/TIMED_OUT");
        expected.forEach((exitLine, verdict) -> {
            String jobId = jobs.submit(OWNER, job(60), null, Duration.ZERO).jobId();
            sandboxes.finish(sandboxOf(jobId), exitLine, "", Map.of());
            JobView done = jobs.status(OWNER, jobId);
            assertEquals(verdict, done.status() + (done.error() == null ? "" : "/" + done.error().code()), exitLine);
        });
    }

    @Test
    void resultsAreInlineWithinTheBudgetThenStoredThenListedBySize() {
        JobService jobs = service(5);
        String jobId = jobs.submit(OWNER, job(60), null, Duration.ZERO).jobId();
        sandboxes.finish(sandboxOf(jobId), "command 0", "0123456789abcdef", Map.of(
                "results/a.json", "12345678".getBytes(StandardCharsets.UTF_8),
                "results/b.bin", new byte[50],
                "results/c.bin", new byte[500]));

        JobView done = jobs.status(OWNER, jobId);
        Map<String, JobView.Result> results = new HashMap<>();
        done.results().forEach(result -> results.put(result.path(), result));
        assertEquals("12345678", results.get("results/a.json").content(), "fits the 10-byte inline budget");
        assertEquals("mem://" + jobId + "/results/b.bin", results.get("results/b.bin").url());
        assertEquals(50, artifacts.stored.get(jobId + "/results/b.bin").length);
        assertEquals(Boolean.TRUE, results.get("results/c.bin").omitted(), "over the 100-byte artifact limit");
        assertEquals("89abcdef", done.stdout().text());
        assertTrue(done.stdout().truncated());
    }

    @Test
    void theSweepFailsStuckStartsAndReapsOnlyOldSandboxesOfOursWithoutALiveJob() {
        JobService jobs = service(5);
        String running = jobs.submit(OWNER, job(600), null, Duration.ZERO).jobId();
        Job stuck = Job.queued("stuck", OWNER, store.find(running).orElseThrow().spec(), clock.instant())
                .with(b -> {
                    b.status = JobStatus.STARTING;
                    b.deadline = clock.instant().plus(JobValidatorTest.SETTINGS.startGrace());
                    b.version = 1;
                });
        store.put(stuck);
        String orphan = sandboxes.create(new SandboxSpec("nobody", "base", Duration.ofMinutes(5), Map.of(),
                Map.of(JobService.DEPLOYMENT_KEY, "test"), false)).sandboxId();
        String foreign = sandboxes.create(new SandboxSpec("nobody", "base", Duration.ofMinutes(5), Map.of(),
                Map.of(JobService.DEPLOYMENT_KEY, "another"), false)).sandboxId();

        SweepReport early = jobs.sweep();
        assertEquals(0, early.reaped(), "a young sandbox may be one whose job has not recorded it yet");
        assertEquals(0, early.startFailures());

        clock.advance(JobValidatorTest.SETTINGS.startGrace().plusSeconds(1));
        SweepReport late = jobs.sweep();
        assertEquals(1, late.startFailures());
        assertEquals(1, late.reaped());
        assertEquals(JobStatus.FAILED, store.find("stuck").orElseThrow().status());
        assertTrue(sandboxes.killed.contains(orphan));
        assertTrue(sandboxes.sandboxes.containsKey(foreign), "another deployment's sandbox is not ours");
        assertTrue(sandboxes.sandboxes.containsKey(sandboxOf(running)), "a running job keeps its sandbox");
    }
}
