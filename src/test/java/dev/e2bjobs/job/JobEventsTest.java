package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.sandbox.Egress;
import dev.e2bjobs.sandbox.SandboxRateLimitedException;
import dev.e2bjobs.sandbox.SandboxRequestInvalidException;
import dev.e2bjobs.sandbox.SandboxSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Operators are told each lifecycle transition once, by whoever wrote it, and the gauges at each launch and sweep. */
class JobEventsTest {
    private final JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);

    @Test
    void aJobIsToldQueuedLaunchedFinishedAndItsCallbackSettled() {
        JobRequest request = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)")), "python main.py", null, null,
                null, null, 60, null, null, null, "https://hooks.example.com/e2b");
        String jobId = jobs.submitAndLaunch(request);
        String sandboxId = jobs.sandboxOf(jobId);
        jobs.sandboxes.finish(sandboxId, "command 0", "", Map.of());
        jobs.finalizer.look(jobs.job(jobId));
        jobs.finalizer.look(jobs.job(jobId)); // a second look at an ended job tells nothing more
        jobs.notifier.deliver(jobId, (job, at) -> "{}".getBytes(StandardCharsets.UTF_8));
        jobs.notifier.deliver(jobId, (job, at) -> "{}".getBytes(StandardCharsets.UTF_8));

        assertEquals(List.of("queued " + jobId, "slots 1/" + jobs.settings.maxConcurrentSandboxes(),
                "started " + jobId + " " + sandboxId + " in scope [" + jobId + ", " + jobId + "]",
                "ended " + jobId + " SUCCEEDED", "callback " + jobId + " DELIVERED"),
                jobs.events.told.stream().filter(line -> !line.startsWith("slots 0/")).toList());
    }

    @Test
    void aFailedStartEndsWithItsErrorCode() {
        jobs.sandboxes.failNext(FakeSandboxGateway.Op.CREATE, new SandboxRequestInvalidException("no such template", null));
        String jobId = jobs.submitAndLaunch(JobsOnFakes.job(60));

        assertEquals(List.of("ended " + jobId + " FAILED START_FAILED"), jobs.events.of("ended"));
        assertEquals(List.of(), jobs.events.of("started"));
    }

    @Test
    void theSweepTellsWhatItReapedAndHowLongTheOldestQueuedJobWaited() {
        jobs.sandboxes.create(new SandboxSpec("nobody", "base", Duration.ofMinutes(5), Map.of(),
                Map.of(JobLauncher.DEPLOYMENT_KEY, "test"), Egress.NONE));
        jobs.clock.advance(jobs.settings.startGrace().plusSeconds(1));
        jobs.sweeper.sweep();
        assertEquals(1, jobs.events.of("reaped").size(), jobs.events.told.toString());
        assertTrue(jobs.events.of("reaped").get(0).endsWith(" nobody"));
        assertEquals(List.of("oldest-queued 0s"), jobs.events.of("oldest-queued"));

        jobs.intake.submit(JobsOnFakes.OWNER, JobsOnFakes.job(60), null);
        jobs.clock.advance(Duration.ofSeconds(90));
        jobs.sandboxes.failAlways(FakeSandboxGateway.Op.CREATE, new SandboxRateLimitedException("at capacity", null));
        jobs.events.told.clear();
        jobs.sweeper.sweep();
        assertEquals(List.of("oldest-queued 90s"), jobs.events.of("oldest-queued"), "E2B at capacity keeps it in line");
    }
}
