package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobQueries;
import dev.e2bjobs.job.JobStatus;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.local.StandIn;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.e2b.LocalE2bResource;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxSpec;
import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The scheduled sweep, fed the EventBridge event from infra/events. */
@QuarkusTest
@TestProfile(SweepFunctionTest.Sweep.class)
class SweepFunctionTest {
    private static final String DEPLOYMENT = "test-sweep";
    /** Long enough for a sweep to finish well within it, even a fresh app's first on a busy machine. */
    private static final Duration START_GRACE = Duration.ofSeconds(4);

    public static class Sweep extends Jobs.Profile {
        @Override
        String function() {
            return "sweep";
        }

        @Override
        Map<String, String> settings() {
            return Map.of("e2bjobs.jobs.start-grace", START_GRACE.toMillis() + "ms");
        }
    }

    @StandIn
    JobStore store;

    @StandIn
    LocalE2bAdmin e2b;

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

    /** A sandbox made through E2B's own API for {@code jobId}, labelled as {@code deployment}'s. */
    private String sandboxFor(String jobId, String deployment) {
        return e2b.createSandbox(LocalE2bResource.API_KEY, Map.of(SandboxSpec.JOB_ID_KEY, jobId, "e2bjobs.deployment", deployment));
    }

    @Test
    @DisabledOnIntegrationTest(StatusFunctionTest.STARTED)
    void aFinishedJobNobodyPolledIsFinalizedAndAQueuedJobLaunched() throws Exception {
        String finished = StatusFunctionTest.started(Jobs.request("print('swept')"));
        Jobs.awaitRunnerDone(store, Beans.of(SandboxGateway.class), finished);
        String queued = Beans.of(JobIntake.class).submit(Jobs.OWNER, Jobs.request("print('launched by the sweep')"), null).jobId();

        JsonNode report = sweep();

        assertTrue(acted(report, "finalize") >= 1, report.toString());
        Job done = store.stored(finished);
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals("swept\n", done.output().stdout().text());
        assertEquals(0, e2b.existing(SandboxSpec.JOB_ID_KEY, finished));
        assertTrue(acted(report, "launch") >= 1, report.toString());
        assertEquals(JobStatus.SUCCEEDED, Beans.of(JobQueries.class).status(Jobs.OWNER, queued, Duration.ofSeconds(20)).status());
    }

    @Test
    @DisabledOnIntegrationTest(StatusFunctionTest.STARTED)
    void theSandboxOfAFinishedJobIsReapedAtOnce() {
        String finished = StatusFunctionTest.started(Jobs.request("print(1)"));
        assertEquals(JobStatus.SUCCEEDED, Beans.of(JobQueries.class).status(Jobs.OWNER, finished, Duration.ofSeconds(20)).status());
        sandboxFor(finished, DEPLOYMENT);

        JsonNode report = sweep();

        assertTrue(acted(report, "reap-orphans") >= 1, report.toString());
        assertEquals(0, e2b.existing(SandboxSpec.JOB_ID_KEY, finished), "a finished job's sandbox goes without waiting for the start grace");
    }

    @Test
    void aSandboxOfOursThatNoJobHoldsIsReapedAfterTheStartGraceAndAnotherDeploymentsIsLeft() throws Exception {
        String noJob = "no-such-job-" + UUID.randomUUID();
        String otherDeploymentsJob = "theirs-" + UUID.randomUUID();
        sweep(); // the app's first sweep is slower: not the one timed against the grace
        sandboxFor(noJob, DEPLOYMENT);
        String someoneElses = sandboxFor(otherDeploymentsJob, "another-deployment");

        sweep();
        assertEquals(1, e2b.existing(SandboxSpec.JOB_ID_KEY, noJob), "within the start grace it may be a job's sandbox being made");

        Thread.sleep(START_GRACE.toMillis() + 100); // past the start grace: a sandbox no job holds is an orphan now
        JsonNode late = sweep();

        assertTrue(acted(late, "reap-orphans") >= 1, late.toString());
        assertEquals(0, e2b.existing(SandboxSpec.JOB_ID_KEY, noJob));
        assertEquals(1, e2b.existing(SandboxSpec.JOB_ID_KEY, otherDeploymentsJob), "another deployment's sandbox is not ours to reap");
        e2b.killSandbox(LocalE2bResource.API_KEY, someoneElses);
    }
}
