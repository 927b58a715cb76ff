package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobCancellation;
import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobLauncher;
import dev.e2bjobs.job.JobStatus;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.e2b.RouteFamily;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The launch function, fed the hand-off event from infra/events: admission under a cap of 3, and starts E2B refuses or fails. */
@QuarkusTest
@TestProfile(LaunchFunctionTest.Launch.class)
class LaunchFunctionTest {
    private static final int CAP = 3;

    public static class Launch extends Jobs.Profile {
        @Override
        String function() {
            return "launch";
        }

        @Override
        Map<String, String> settings() {
            return Map.of("e2bjobs.jobs.max-concurrent-sandboxes", String.valueOf(CAP), "e2bjobs.launch.first-backoff", "1s");
        }
    }

    @Inject
    JobIntake intake;

    @Inject
    JobLauncher launcher;

    @Inject
    JobCancellation cancellation;

    @Inject
    JobStore store;

    @Inject
    CircuitBreakerMaintenance breakers;

    @ConfigProperty(name = "quarkus.rest-client.e2b-api.url")
    String e2bUrl;

    private final List<String> submitted = new ArrayList<>();

    private String queue(String code) {
        String jobId = intake.submit(Jobs.OWNER, Jobs.request(code), null).jobId();
        submitted.add(jobId);
        return jobId;
    }

    private static JsonNode launch(List<String> jobIds) {
        ObjectNode event = Lambda.event("lambda-launch.json");
        jobIds.forEach(event.withArray("jobIds")::add);
        return Lambda.invoke(event);
    }

    @AfterEach
    void cancelWhatIsLeft() {
        new LocalE2bAdmin(e2bUrl).clear();
        breakers.resetAll();
        submitted.forEach(jobId -> cancellation.cancel(Jobs.OWNER, jobId));
    }

    @Test
    void queuedJobsStartOldestFirstUpToTheCapAndTheRestWaitForASlot() {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < CAP + 1; i++) {
            jobs.add(queue("import time\ntime.sleep(30)\n"));
        }

        JsonNode report = launch(jobs);

        assertEquals(CAP, report.path("started").asInt(), report.toString());
        jobs.subList(0, CAP).forEach(jobId -> assertEquals(JobStatus.RUNNING, store.stored(jobId).status()));
        String last = jobs.get(CAP);
        assertEquals(JobStatus.QUEUED, store.stored(last).status(), "three sandboxes is the cap here");
        assertEquals(CAP, store.slotsHeld());

        cancellation.cancel(Jobs.OWNER, jobs.get(0));
        launch(List.of());
        assertEquals(JobStatus.RUNNING, store.stored(last).status(), "the slot the cancel gave back went to the waiting job");
    }

    @Test
    void racingLaunchesNeverHoldMoreSandboxesThanTheCap() throws Exception {
        new LocalE2bAdmin(e2bUrl).resetStats();
        for (int i = 0; i < 3 * CAP; i++) {
            queue("import time\ntime.sleep(30)\n");
        }
        List<CompletableFuture<Void>> launches = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            launches.add(CompletableFuture.runAsync(() -> launcher.launch(List.of())));
        }
        CompletableFuture.allOf(launches.toArray(CompletableFuture[]::new)).get();

        assertEquals(CAP, store.slotsHeld());
        long running = submitted.stream().filter(jobId -> store.stored(jobId).status() == JobStatus.RUNNING).count();
        assertEquals(CAP, running);
        assertTrue(new LocalE2bAdmin(e2bUrl).peakRunning() <= CAP, "the E2B server never saw more than the cap at once");
    }

    @Test
    void anE2bOutageWhileStartingPutsTheJobBackInLineAndItStartsOnceE2bIsBack() throws Exception {
        LocalE2bAdmin e2b = new LocalE2bAdmin(e2bUrl);
        String jobId = queue("print('made it')");
        e2b.fail(RouteFamily.CONTROL, 1.0, List.of(503), 0);

        JsonNode report = launch(List.of(jobId));

        assertEquals(1, report.path("requeued").asInt(), report.toString());
        Job waiting = store.stored(jobId);
        assertEquals(JobStatus.QUEUED, waiting.status());
        assertEquals(1, waiting.backoff().failures());
        e2b.clear();
        breakers.resetAll();
        Thread.sleep(Duration.between(java.time.Instant.now(), waiting.backoff().notBefore()).toMillis() + 10);
        assertEquals(1, launch(List.of()).path("started").asInt());
        assertEquals(JobStatus.RUNNING, store.stored(jobId).status());
    }

    @Test
    void e2bAtItsCapKeepsTheJobQueuedWithoutCountingAFailure() {
        LocalE2bAdmin e2b = new LocalE2bAdmin(e2bUrl);
        String jobId = queue("print(1)");
        e2b.fail(RouteFamily.CONTROL, 1.0, List.of(429), 0);

        launch(List.of(jobId));

        Job waiting = store.stored(jobId);
        assertEquals(JobStatus.QUEUED, waiting.status());
        assertEquals(0, waiting.backoff().failures());
        assertEquals(0, store.slotsHeld());
    }
}
