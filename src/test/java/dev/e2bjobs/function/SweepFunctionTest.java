package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobLauncher;
import dev.e2bjobs.job.JobQueries;
import dev.e2bjobs.job.JobStatus;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxRef;
import dev.e2bjobs.sandbox.Egress;
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
    JobIntake intake;

    @Inject
    JobLauncher launcher;

    @Inject
    JobQueries queries;

    @Inject
    JobStore store;

    @Inject
    SandboxGateway sandboxes;

    private JsonNode sweep() {
        return Lambda.invoke(Lambda.event("eventbridge-scheduled-sweep.json"));
    }

    private static int acted(JsonNode report, String step) {
        for (JsonNode s : report.path("steps")) {
            if (s.path("step").asText().equals(step)) {
                return s.path("acted").asInt();
            }
        }
        throw new AssertionError("no step " + step + " in " + report);
    }

    private SandboxRef sandboxFor(String jobId, String deployment) {
        return sandboxes.create(new SandboxSpec(jobId, "base", Duration.ofMinutes(5), Map.of(),
                Map.of("e2bjobs.deployment", deployment), Egress.NONE));
    }

    @Test
    void aFinishedJobNobodyPolledIsFinalizedAndAQueuedJobLaunched() throws Exception {
        String finished = Jobs.started(intake, launcher, Jobs.OWNER, Jobs.request("print('swept')"));
        Jobs.awaitRunnerDone(store, sandboxes, finished);
        String queued = intake.submit(Jobs.OWNER, Jobs.request("print('launched by the sweep')"), null).jobId();

        JsonNode report = sweep();

        assertTrue(acted(report, "finalize") >= 1, report.toString());
        Job done = store.stored(finished);
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals("swept\n", done.output().stdout().text());
        assertEquals(0, sandboxes.listOwned(Map.of(SandboxSpec.JOB_ID_KEY, finished)).size());
        assertTrue(acted(report, "launch") >= 1, report.toString());
        assertEquals(JobStatus.SUCCEEDED, queries.status(Jobs.OWNER, queued, Duration.ofSeconds(20)).status());
    }

    @Test
    void sandboxesOfOursWithoutALiveJobAreReaped() throws Exception {
        String finished = Jobs.started(intake, launcher, Jobs.OWNER, Jobs.request("print(1)"));
        assertEquals(JobStatus.SUCCEEDED, queries.status(Jobs.OWNER, finished, Duration.ofSeconds(20)).status());
        SandboxRef ofFinishedJob = sandboxFor(finished, DEPLOYMENT);
        SandboxRef ofUnknownJob = sandboxFor("no-such-job", DEPLOYMENT);
        SandboxRef someoneElses = sandboxFor("no-such-job", "another-deployment");

        JsonNode early = sweep();
        assertEquals(1, acted(early, "reap-orphans"), "a finished job's sandbox goes at once: " + early);

        Thread.sleep(2_100); // past the start grace: a sandbox no job holds is an orphan now
        JsonNode late = sweep();
        assertEquals(1, acted(late, "reap-orphans"), late.toString());

        assertTrue(sandboxes.listOwned(Map.of("e2bjobs.deployment", DEPLOYMENT)).stream()
                .noneMatch(s -> s.sandboxId().equals(ofUnknownJob.sandboxId())));
        assertTrue(sandboxes.kill(someoneElses.sandboxId()), "another deployment's sandbox is not ours to reap");
        assertEquals(false, sandboxes.kill(ofFinishedJob.sandboxId()));
    }
}
