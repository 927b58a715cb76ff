package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobService;
import dev.e2bjobs.job.JobStatus;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.job.JobView;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxRef;
import dev.e2bjobs.sandbox.SandboxSpec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduled sweep, fed the EventBridge event from infra/events. */
@QuarkusTest
@TestProfile(SweepFunctionTest.Sweep.class)
class SweepFunctionTest {
    private static final String DEPLOYMENT = "test-sweep";

    public static class Sweep extends Jobs.Profile {
        @Override
        String function() {
            return "sweep";
        }

        @Override
        Map<String, String> settings() {
            return Map.of("e2bjobs.jobs.start-grace", "2s");
        }
    }

    @Inject
    JobService jobs;

    @Inject
    JobStore store;

    @Inject
    SandboxGateway sandboxes;

    private JsonNode sweep() {
        return Lambda.invoke(Lambda.event("eventbridge-scheduled-sweep.json"));
    }

    private SandboxRef sandboxFor(String jobId) {
        return sandboxes.create(new SandboxSpec(jobId, "base", Duration.ofMinutes(5), Map.of(),
                Map.of(JobService.DEPLOYMENT_KEY, DEPLOYMENT), false));
    }

    @Test
    void aFinishedJobNobodyPolledIsFinalizedBySweep() throws Exception {
        JobView submitted = jobs.submit("anonymous", Jobs.request("import time\ntime.sleep(0.5)\nprint('swept')"), null, Duration.ZERO);
        Jobs.awaitRunnerDone(store, sandboxes, submitted.jobId());

        JsonNode report = sweep();

        assertTrue(report.path("finalized").asInt() >= 1, report.toString());
        Job done = store.find(submitted.jobId()).orElseThrow();
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals("swept\n", done.stdout().text());
        assertEquals(0, sandboxes.listOwned(Map.of(SandboxSpec.JOB_ID_KEY, submitted.jobId())).size());
    }

    @Test
    void sandboxesOfOursWithoutALiveJobAreReaped() throws Exception {
        JobView finished = jobs.submit("anonymous", Jobs.request("print(1)"), null, Duration.ofSeconds(20));
        assertEquals("SUCCEEDED", finished.status().name());
        SandboxRef ofFinishedJob = sandboxFor(finished.jobId());
        SandboxRef ofUnknownJob = sandboxFor("no-such-job");
        SandboxRef someoneElses = sandboxes.create(new SandboxSpec("no-such-job", "base", Duration.ofMinutes(5), Map.of(),
                Map.of(JobService.DEPLOYMENT_KEY, "another-deployment"), false));

        JsonNode early = sweep();
        assertEquals(1, early.path("reaped").asInt(), "a finished job's sandbox goes at once: " + early);

        Thread.sleep(2_100); // past the start grace: a sandbox no job holds is an orphan now
        JsonNode late = sweep();
        assertEquals(1, late.path("reaped").asInt(), late.toString());

        assertEquals(0, sandboxes.listOwned(Map.of(SandboxSpec.JOB_ID_KEY, finished.jobId())).size());
        assertTrue(sandboxes.listOwned(Map.of(JobService.DEPLOYMENT_KEY, DEPLOYMENT)).stream()
                .noneMatch(s -> s.sandboxId().equals(ofUnknownJob.sandboxId())));
        assertTrue(sandboxes.kill(someoneElses.sandboxId()), "another deployment's sandbox is not ours to reap");
        assertEquals(false, sandboxes.kill(ofFinishedJob.sandboxId()));
    }
}
