package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.sandbox.Egress;
import dev.e2bjobs.sandbox.SandboxRateLimitedException;
import dev.e2bjobs.sandbox.SandboxRequestInvalidException;
import dev.e2bjobs.sandbox.SandboxSpec;
import dev.e2bjobs.sandbox.SandboxUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Admission under the slot cap, oldest first, and what a start does when E2B is busy, failing, or says no. */
class JobLauncherTest {
    private static final String OWNER = JobsOnFakes.OWNER;

    private String queue(JobsOnFakes jobs, JobRequest request) {
        String jobId = jobs.intake.submit(OWNER, request, null).jobId();
        jobs.clock.advance(Duration.ofMillis(1));
        return jobId;
    }

    @Test
    void queuedJobsStartOldestFirstIntoTheFreeSlots() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.withCap(2));
        String first = queue(jobs, JobsOnFakes.job(60));
        String second = queue(jobs, JobsOnFakes.job(60));
        String third = queue(jobs, JobsOnFakes.job(60));

        LaunchReport report = jobs.launcher.launch(List.of());

        assertEquals(2, report.started());
        assertEquals(JobStatus.RUNNING, jobs.job(first).status());
        assertEquals(JobStatus.RUNNING, jobs.job(second).status());
        assertEquals(JobStatus.QUEUED, jobs.job(third).status());
        assertEquals(2, jobs.store.slotsHeld());
        assertEquals(0, jobs.launcher.launch(List.of()).started(), "no slot is free");

        jobs.sandboxes.finish(jobs.sandboxOf(first), "command 0", "", Map.of());
        jobs.finalizer.look(jobs.job(first));
        jobs.launcher.launch(List.of());
        assertEquals(JobStatus.RUNNING, jobs.job(third).status(), "the freed slot went to the waiting job");
    }

    @Test
    void theRunnerGetsTheJobsFilesEnvAndArgvAndTheSandboxLivesForTheRunTimePlusTheMargin() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        FakeSandboxGateway.Box box = jobs.sandboxes.sandboxes.get(jobs.sandboxOf(jobId));

        assertArrayEquals("print(1)".getBytes(StandardCharsets.UTF_8), box.files().get(Runner.WORKDIR + "/main.py"));
        assertTrue(box.files().containsKey(Runner.META + "/runner.sh"));
        assertEquals(Map.of("SEED", "1"), box.spec().envVars());
        assertEquals(jobId, box.spec().allMetadata().get(SandboxSpec.JOB_ID_KEY));
        assertEquals(List.of(Runner.META + "/runner.sh", "all", Runner.WORKDIR, "60", "300", "8", "10", "/bin/bash", "-c", "python main.py"),
                box.started().get(0).args());
        assertEquals(Duration.ofSeconds(60).plus(jobs.settings.setupMargin()), box.spec().timeout(),
                "a job without dependencies has no install time");
        assertEquals(jobs.clock.instant().plusSeconds(60).plus(JobLauncher.RUNNER_GRACE), jobs.job(jobId).deadline());

        JobRequest withDependencies = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("import numpy")), "python main.py",
                null, List.of("numpy"), null, null, 60, null, null, null, null);
        String numpyJob = jobs.submitAndLaunch(withDependencies);
        assertEquals(Duration.ofSeconds(300 + 60).plus(jobs.settings.setupMargin()),
                jobs.sandboxes.sandboxes.get(jobs.sandboxOf(numpyJob)).spec().timeout(), "installing may take its own timeout");
    }

    @Test
    void aSandboxReachesTheInternetOnlyIfAskedAndThePackageIndexOnlyForDependencies() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);
        JobRequest plain = JobsOnFakes.job(60);
        JobRequest withDependencies = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("import numpy")), "python main.py",
                null, List.of("numpy"), null, null, 60, null, null, null, null);
        JobRequest online = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)")), "python main.py",
                null, List.of("numpy"), null, null, 60, null, null, true, null);

        FakeSandboxGateway.Box offline = launched(jobs, plain);
        FakeSandboxGateway.Box installing = launched(jobs, withDependencies);
        FakeSandboxGateway.Box internet = launched(jobs, online);

        assertEquals(Egress.NONE, offline.spec().egress());
        assertEquals(Egress.only(List.of("pypi.org", "files.pythonhosted.org")), installing.spec().egress());
        assertEquals(Egress.ANYWHERE, internet.spec().egress());
        assertEquals("install", runnerMode(installing), "the index is for the install: the runner stops after it");
        assertEquals("all", runnerMode(offline));
        assertEquals("all", runnerMode(internet));
    }

    private static FakeSandboxGateway.Box launched(JobsOnFakes jobs, JobRequest request) {
        return jobs.sandboxes.sandboxes.get(jobs.sandboxOf(jobs.submitAndLaunch(request)));
    }

    private static String runnerMode(FakeSandboxGateway.Box box) {
        return box.started().get(0).args().get(1);
    }

    @Test
    void filesWaitingInTheArtifactStoreReachTheSandbox() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);
        byte[] data = new byte[100];
        data[99] = 7;
        JobRequest large = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)"),
                "data.bin", new JobRequest.FileContent(java.util.Base64.getEncoder().encodeToString(data), "base64")),
                "python main.py", null, null, null, null, 60, null, null, null, null);
        String jobId = jobs.submitAndLaunch(large);

        assertArrayEquals(data, jobs.sandboxes.sandboxes.get(jobs.sandboxOf(jobId)).files().get(Runner.WORKDIR + "/data.bin"));
    }

    @Test
    void e2bAtItsCapPutsTheJobBackInLineWithoutLosingItsPlace() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.withCap(1));
        String first = queue(jobs, JobsOnFakes.job(60));
        String second = queue(jobs, JobsOnFakes.job(60));
        jobs.sandboxes.failNext(FakeSandboxGateway.Op.CREATE, new SandboxRateLimitedException("429 at the cap", null));

        LaunchReport report = jobs.launcher.launch(List.of());

        assertEquals(1, report.requeued());
        Job waiting = jobs.job(first);
        assertEquals(JobStatus.QUEUED, waiting.status());
        assertEquals(LaunchBackoff.NONE, waiting.backoff(), "E2B's cap is no failed attempt, and asks for no wait");
        assertEquals(0, jobs.store.slotsHeld(), "its slot went back");
        jobs.launcher.launch(List.of());
        assertEquals(JobStatus.RUNNING, jobs.job(first).status(), "it is still first in line");
        assertEquals(JobStatus.QUEUED, jobs.job(second).status());
    }

    @Test
    void aTransientFailureKillsWhatTheStartMadeAndRetriesAfterABackoff() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);
        String jobId = queue(jobs, JobsOnFakes.job(60));
        jobs.sandboxes.failNext(FakeSandboxGateway.Op.UPLOAD, new SandboxUnavailableException("503", null));

        assertEquals(1, jobs.launcher.launch(List.of()).requeued());

        Job waiting = jobs.job(jobId);
        assertEquals(JobStatus.QUEUED, waiting.status());
        assertNull(waiting.sandbox());
        assertTrue(jobs.sandboxes.sandboxes.isEmpty(), "the sandbox of the failed attempt was killed");
        assertEquals(1, waiting.backoff().failures());
        assertEquals(jobs.clock.instant().plus(TestSettings.LAUNCH.firstBackoff()), waiting.backoff().notBefore());
        assertEquals(0, jobs.launcher.launch(List.of()).started(), "it waits out its backoff");
        jobs.clock.advance(TestSettings.LAUNCH.firstBackoff());
        assertEquals(1, jobs.launcher.launch(List.of()).started());
        assertEquals(JobStatus.RUNNING, jobs.job(jobId).status());
    }

    @Test
    void aStartThatKeepsFailingEndsTheJobAsE2bUnavailable() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);
        String jobId = queue(jobs, JobsOnFakes.job(60));
        jobs.sandboxes.failAlways(FakeSandboxGateway.Op.CREATE, new SandboxUnavailableException("503", null));

        for (int attempt = 1; attempt <= TestSettings.LAUNCH.maxFailures(); attempt++) {
            jobs.launcher.launch(List.of());
            jobs.clock.advance(TestSettings.LAUNCH.maxBackoff());
        }

        Job failed = jobs.job(jobId);
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("E2B_UNAVAILABLE", failed.error().code());
        assertEquals(0, jobs.store.slotsHeld());
    }

    @Test
    void aStartE2bRefusesEndsTheJobAtOnce() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);
        jobs.sandboxes.failNext(FakeSandboxGateway.Op.CREATE, new SandboxRequestInvalidException("400 unknown template", null));
        String invalid = jobs.submitAndLaunch(JobsOnFakes.job(60));
        jobs.sandboxes.failNext(FakeSandboxGateway.Op.START, new SandboxRequestInvalidException("400 bad process", null));
        String unstartable = jobs.submitAndLaunch(JobsOnFakes.job(60));

        assertEquals("START_FAILED", jobs.job(invalid).error().code());
        assertEquals("START_FAILED", jobs.job(unstartable).error().code());
        assertTrue(jobs.sandboxes.sandboxes.isEmpty(), "the sandbox of the failed start was killed");
        assertEquals(0, jobs.store.slotsHeld());
    }

    @Test
    void aJobCancelledWhileItsSandboxWasCreatedLeavesNoSandboxAndNoSlotHeld() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);
        String jobId = queue(jobs, JobsOnFakes.job(60));
        jobs.sandboxes.onCreate = () -> jobs.cancellation.cancel(OWNER, jobId);

        assertEquals(1, jobs.launcher.launch(List.of()).overtaken());

        assertEquals(JobStatus.CANCELLED, jobs.job(jobId).status());
        assertTrue(jobs.sandboxes.sandboxes.isEmpty());
        assertEquals(0, jobs.store.slotsHeld());
        assertEquals(false, jobs.job(jobId).slotHeld());
    }

    @Test
    void aStartTheSweepGaveUpOnWhileItWasCreatingTheSandboxLeavesNoSandboxAndNoSlot() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);
        String jobId = queue(jobs, JobsOnFakes.job(60));
        jobs.sandboxes.onCreate = () -> {
            jobs.sandboxes.onCreate = () -> { };
            jobs.clock.advance(jobs.settings.startGrace().plusSeconds(1));
            jobs.sweeper.sweep(); // this launcher looks dead: its start is overdue
        };

        assertEquals(1, jobs.launcher.launch(List.of()).overtaken());

        assertEquals(JobStatus.QUEUED, jobs.job(jobId).status(), "the sweep put it back in line");
        assertTrue(jobs.sandboxes.sandboxes.isEmpty(), "the late sandbox was killed by its launcher");
        assertEquals(0, jobs.store.slotsHeld());
    }

    @Test
    void aJobTheQueueIndexDoesNotShowYetStartsWhenItsHandOffNamesIt() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);
        String jobId = queue(jobs, JobsOnFakes.job(60));
        jobs.store.lagBehind(jobId);

        assertEquals(0, jobs.launcher.launch(List.of()).started());
        assertEquals(1, jobs.launcher.launch(List.of(jobId)).started());
    }

    @Test
    void aSandboxThatCannotBeKilledKeepsItsSlotUntilTheSweepRetriesTheStart() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);
        String jobId = queue(jobs, JobsOnFakes.job(60));
        jobs.sandboxes.failNext(FakeSandboxGateway.Op.UPLOAD, new SandboxUnavailableException("503", null));
        jobs.sandboxes.failNext(FakeSandboxGateway.Op.KILL, new SandboxUnavailableException("503", null));

        jobs.launcher.launch(List.of());
        assertEquals(JobStatus.STARTING, jobs.job(jobId).status(), "its sandbox may still run");
        assertEquals(1, jobs.store.slotsHeld());

        jobs.clock.advance(jobs.settings.startGrace().plusSeconds(1));
        jobs.sweeper.sweep();
        assertTrue(jobs.sandboxes.sandboxes.isEmpty(), "the sweep killed it");
        assertEquals(JobStatus.QUEUED, jobs.job(jobId).status(), "and put the job back in line");
        assertEquals(0, jobs.store.slotsHeld());
        jobs.clock.advance(TestSettings.LAUNCH.maxBackoff());
        jobs.launcher.launch(List.of());
        assertEquals(JobStatus.RUNNING, jobs.job(jobId).status());
    }
}
