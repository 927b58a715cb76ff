package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.sandbox.Egress;
import dev.e2bjobs.sandbox.SandboxRequestInvalidException;
import dev.e2bjobs.sandbox.SandboxUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a RUNNING job ends: by the runner's word, or because its runner, sandbox or deadline is gone; never by a failed read. */
class JobFinalizerTest {
    private final JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);

    private Job look(String jobId) {
        return jobs.finalizer.look(jobs.job(jobId));
    }

    @Test
    void theRunnersVerdictDecidesTheStatus() {
        Map<String, String> expected = Map.of("command 0", "SUCCEEDED", "command 2", "FAILED/EXIT_NONZERO",
                "install 1", "FAILED/INSTALL_FAILED", "timeout 124", "TIMED_OUT/TIMED_OUT", "start 1", "FAILED/START_FAILED");
        expected.forEach((exitLine, verdict) -> {
            String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
            String sandbox = jobs.sandboxOf(jobId);
            jobs.sandboxes.finish(sandbox, exitLine, "", Map.of());
            Job done = look(jobId);
            assertEquals(verdict, done.status() + (done.error() == null ? "" : "/" + done.error().code()), exitLine);
            assertTrue(jobs.sandboxes.killed.contains(sandbox), "an ended job's sandbox is killed");
            assertEquals(false, jobs.job(jobId).slotHeld());
        });
        assertEquals(0, jobs.store.slotsHeld());
    }

    private static String launchedWithDependencies(JobsOnFakes jobs) {
        return jobs.submitAndLaunch(new JobRequest(Map.of("main.py", JobRequest.FileContent.text("import numpy")), "python main.py",
                null, List.of("numpy"), null, null, 60, null, null, null, null));
    }

    @Test
    void afterTheInstallTheSandboxLosesThePackageIndexBeforeTheCommandRuns() {
        String jobId = launchedWithDependencies(jobs);
        FakeSandboxGateway.Box box = jobs.sandboxes.sandboxes.get(jobs.sandboxOf(jobId));
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), Runner.INSTALLED + " 0", "", Map.of());

        Job installed = look(jobId);

        assertEquals(JobStatus.RUNNING, installed.status());
        assertEquals(List.of(Egress.NONE), box.egressUpdates(), "no network for the job's own code");
        assertEquals(List.of("install", "command"), box.started().stream().map(command -> command.args().get(1)).toList());
        assertEquals(List.of("/bin/bash", "-c", "python main.py"), box.started().get(1).args().subList(7, 10));
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), "command 0", "done", Map.of());
        assertEquals(JobStatus.SUCCEEDED, look(jobId).status());
    }

    @Test
    void aNetworkChangeE2bRefusesFailsTheJobRatherThanRunItsCodeWithTheIndex() {
        String jobId = launchedWithDependencies(jobs);
        FakeSandboxGateway.Box box = jobs.sandboxes.sandboxes.get(jobs.sandboxOf(jobId));
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), Runner.INSTALLED + " 0", "", Map.of());
        jobs.sandboxes.failNext(FakeSandboxGateway.Op.NETWORK, new SandboxUnavailableException("E2B is down", null));
        assertEquals(JobStatus.RUNNING, look(jobId).status(), "a transient failure waits for the next look");
        assertEquals(1, box.started().size(), "and starts nothing");

        jobs.sandboxes.failNext(FakeSandboxGateway.Op.NETWORK, new SandboxRequestInvalidException("403 feature not enabled", null));
        Job refused = look(jobId);

        assertEquals(JobStatus.FAILED, refused.status());
        assertEquals("START_FAILED", refused.error().code());
        assertTrue(refused.error().message().contains("403 feature not enabled"), refused.error().message());
        assertEquals(1, box.started().size(), "the command never ran");
    }

    @Test
    void aFailedInstallSaysWhatPipSaid() {
        JobsOnFakes jobs = new JobsOnFakes(TestSettings.withOutputTail(4096));
        String jobId = launchedWithDependencies(jobs);
        Map<String, byte[]> files = jobs.sandboxes.sandboxes.get(jobs.sandboxOf(jobId)).files();
        files.put(Runner.INSTALL_LOG, ("Looking in indexes: file:///simple\n"
                + "ERROR: Could not find a version that satisfies the requirement numpy (from versions: none)\n"
                + "ERROR: No matching distribution found for numpy\n").getBytes(StandardCharsets.UTF_8));
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), "install 1", "", Map.of());

        Job failed = jobs.finalizer.look(jobs.job(jobId));

        assertEquals("INSTALL_FAILED", failed.error().code());
        assertEquals("pip install exited with 1: ERROR: Could not find a version that satisfies the requirement numpy (from versions: none)",
                failed.error().message());
        assertTrue(failed.output().stderr().text().contains("No matching distribution"), "the whole log is the job's stderr");
    }

    @Test
    void resultsAreInlineWithinTheBudgetThenStoredThenListedBySize() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), "command 0", "0123456789abcdef", Map.of(
                "results/a.json", "12345678".getBytes(StandardCharsets.UTF_8),
                "results/b.bin", new byte[50],
                "results/c.bin", new byte[500]));

        Job done = look(jobId);
        Map<String, ResultFile> results = new HashMap<>();
        done.output().results().forEach(result -> results.put(result.path(), result));
        assertEquals("12345678", new String(results.get("results/a.json").content(), StandardCharsets.UTF_8), "fits the 10-byte budget");
        assertEquals(jobId + "/results/b.bin", results.get("results/b.bin").artifactKey());
        assertEquals(50, jobs.artifacts.stored.get(jobId + "/results/b.bin").length);
        assertTrue(results.get("results/c.bin").omitted(), "over the 100-byte artifact limit");
        assertEquals("89abcdef", done.output().stdout().text());
        assertTrue(done.output().stdout().truncated());
    }

    @Test
    void aRunnerThatIsGoneWithoutAnExitCodeIsRunnerLost() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        assertEquals(JobStatus.RUNNING, look(jobId).status(), "the runner is still at work");

        jobs.sandboxes.loseRunner(jobs.sandboxOf(jobId));
        Job lost = look(jobId);

        assertEquals(JobStatus.FAILED, lost.status());
        assertEquals("RUNNER_LOST", lost.error().code());
        assertEquals(0, jobs.store.slotsHeld());
    }

    @Test
    void aFreedSlotAsksForALaunchOnlyWhileAJobWaits() {
        String first = jobs.submitAndLaunch(JobsOnFakes.job(60));
        String second = jobs.submitAndLaunch(JobsOnFakes.job(60));
        jobs.intake.submit(JobsOnFakes.OWNER, JobsOnFakes.job(60), null);
        jobs.launches.triggered.clear();

        jobs.sandboxes.finish(jobs.sandboxOf(first), "command 0", "", Map.of());
        look(first);
        assertEquals(List.of(List.of()), jobs.launches.triggered, "a job waits: the freed slot asks for a launch");

        jobs.launcher.launch(List.of());
        jobs.launches.triggered.clear();
        jobs.sandboxes.finish(jobs.sandboxOf(second), "command 0", "", Map.of());
        look(second);
        assertEquals(List.of(), jobs.launches.triggered, "nobody waits: no launch");
    }

    @Test
    void pastItsDeadlineAJobTimesOutAndItsSandboxIsKilled() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        String sandbox = jobs.sandboxOf(jobId);

        jobs.clock.advance(Duration.ofSeconds(60).plus(JobLauncher.RUNNER_GRACE));
        assertEquals(JobStatus.RUNNING, look(jobId).status(), "run time and grace are not over yet");
        jobs.clock.advance(Duration.ofSeconds(1));
        Job late = look(jobId);

        assertEquals(JobStatus.TIMED_OUT, late.status());
        assertTrue(jobs.sandboxes.killed.contains(sandbox));
    }

    @Test
    void aVanishedSandboxIsSandboxLost() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        jobs.sandboxes.kill(jobs.sandboxOf(jobId));

        Job lost = look(jobId);
        assertEquals("SANDBOX_LOST", lost.error().code());
        assertEquals(0, jobs.store.slotsHeld());
    }

    @Test
    void aReadThatFailsIsNoVerdictUntilTheSandboxHasSurelyExpired() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), "command 0", "ok", Map.of());
        jobs.sandboxes.failAlways(FakeSandboxGateway.Op.READ, new SandboxUnavailableException("503", null));

        assertEquals(JobStatus.RUNNING, look(jobId).status());
        jobs.clock.advance(Duration.ofSeconds(60).plus(JobLauncher.RUNNER_GRACE).plusSeconds(1));
        assertEquals(JobStatus.RUNNING, look(jobId).status(), "past the deadline, but the exit code may be there: no verdict");

        jobs.sandboxes.stopFailing();
        assertEquals(JobStatus.SUCCEEDED, look(jobId).status(), "once E2B answers, the runner's word stands");

        String other = jobs.submitAndLaunch(JobsOnFakes.job(60));
        jobs.sandboxes.failAlways(FakeSandboxGateway.Op.READ, new SandboxUnavailableException("503", null));
        jobs.clock.advance(Duration.ofSeconds(60).plus(JobLauncher.RUNNER_GRACE).plus(jobs.settings.setupMargin()).plusSeconds(1));
        Job expired = look(other);
        assertEquals("E2B_UNAVAILABLE", expired.error().code(), "its sandbox has outlived its lifetime: E2B removed it");
    }

    @Test
    void aKillThatFailsKeepsTheSlotUntilTheSweepReleasesIt() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), "command 0", "", Map.of());
        jobs.sandboxes.failNext(FakeSandboxGateway.Op.KILL, new SandboxUnavailableException("503", null));

        assertEquals(JobStatus.SUCCEEDED, look(jobId).status());
        assertEquals(1, jobs.store.slotsHeld(), "its sandbox may still run");

        SweepReport report = jobs.sweeper.sweep();
        assertEquals(1, report.step("release-ended").acted(), report.toString());
        assertEquals(0, jobs.store.slotsHeld());
        assertTrue(jobs.sandboxes.sandboxes.isEmpty());
    }

    @Test
    void twoLooksAtTheSameFinishedJobEndItOnce() {
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), "command 0", "", Map.of());
        Job stale = jobs.job(jobId);

        Job first = jobs.finalizer.look(stale);
        Job second = jobs.finalizer.look(stale);

        assertEquals(first.finishedAt(), second.finishedAt(), "the second look sees the first one's end");
        assertEquals(stale.version() + 2, jobs.job(jobId).version(), "one terminal write, one slot given back");
        assertEquals(0, jobs.store.slotsHeld());
    }
}
