package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.environment.Environment;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobQueries;
import dev.e2bjobs.job.JobStatus;
import dev.e2bjobs.job.JobSweeper;
import dev.e2bjobs.sandbox.SandboxGateway;
import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** GET /environments and DELETE /environments/{environmentId} through the Lambda mock event server; expiry by the sweep. */
@QuarkusTest
@TestProfile(EnvironmentsFunctionTest.Environments.class)
class EnvironmentsFunctionTest {
    private static final String EXPIRE_AFTER_SECONDS = "3";

    public static class Environments extends Jobs.Profile {
        @Override
        String function() {
            return "environments";
        }

        @Override
        Map<String, String> settings() {
            return Map.of("e2bjobs.environments.expire-after", "PT" + EXPIRE_AFTER_SECONDS + "S");
        }
    }

    private static Lambda.Answer delete(String environmentId, Consumer<ObjectNode> caller) {
        return Lambda.http("http-api-delete-environment.json",
                caller.andThen(event -> event.putObject("pathParameters").put("environmentId", environmentId)));
    }

    /** A job with this requirement, started through the app's beans and waited for. */
    private static Job ran(String requirement) {
        String jobId = StatusFunctionTest.started(Lambda.JSON.convertValue(CachedEnvironmentTest.probeJob(requirement), JobBody.class).toRequest());
        Job job = Beans.of(JobQueries.class).status(Jobs.OWNER, jobId, Duration.ofSeconds(20));
        assertEquals(JobStatus.SUCCEEDED, job.status(), job.toString());
        return job;
    }

    private static JsonNode listed(Consumer<ObjectNode> caller) {
        Lambda.Answer answer = Lambda.http("http-api-list-environments.json", caller);
        assertEquals(200, answer.status(), answer.body().toString());
        return answer.body().path("environments");
    }

    @Test
    @DisabledOnIntegrationTest(StatusFunctionTest.STARTED)
    void anEnvironmentIsListedWithWhatItsInstallResolvedAndItsUseThenDroppedWithItsSnapshot() throws Exception {
        ran("e2bjobs-probe~=1.0");
        Environment ready = CachedEnvironmentTest.awaitReady("e2bjobs-probe~=1.0");
        assertTrue(ran("e2bjobs-probe~=1.0").environment().cached());

        JsonNode listed = listed(event -> { });
        assertEquals(1, listed.size(), listed.toString());
        JsonNode environment = listed.get(0);
        assertEquals(ready.id(), environment.path("environmentId").asText());
        assertEquals("READY", environment.path("state").asText());
        assertEquals("[\"e2bjobs-probe~=1.0\"]", environment.path("requirements").toString());
        assertTrue(environment.path("resolved").toString().contains("\"e2bjobs-probe==1.0.0\""), environment.toString());
        assertTrue(environment.path("sizeBytes").asLong() > 0, environment.toString());
        assertEquals(1, environment.path("hits").asInt());
        assertFalse(environment.path("internet").asBoolean());
        assertEquals(0, listed(Lambda.asOwner("mallory")).size(), "another owner sees none of them");

        assertEquals(404, delete(ready.id(), Lambda.asOwner("mallory")).status(), "nor drops them");
        assertEquals(204, delete(ready.id(), event -> { }).status());
        assertEquals(0, listed(event -> { }).size());
        assertFalse(Beans.of(SandboxGateway.class).deleteSnapshot(ready.id()), "its snapshot is gone at E2B");
    }

    @Test
    void aCallerWithoutEnvironmentsGetsAnEmptyList() {
        assertEquals(0, listed(Lambda.asOwner("newcomer")).size());
    }

    @Test
    void droppingAnUnknownEnvironmentIsNotFound() {
        Lambda.Answer answer = delete("env-0123456789abcdef01234567", event -> { });
        assertEquals(404, answer.status());
        assertEquals("ENVIRONMENT_NOT_FOUND", answer.body().path("code").asText());
    }

    @Test
    @DisabledOnIntegrationTest(StatusFunctionTest.STARTED)
    void theSweepDeletesAnUnusedEnvironmentAndItsSnapshot() throws Exception {
        ran("e2bjobs-probe!=0.1");
        Environment ready = CachedEnvironmentTest.awaitReady("e2bjobs-probe!=0.1");
        Thread.sleep(Long.parseLong(EXPIRE_AFTER_SECONDS) * 1000 + 100); // the expiry is a span of idle time

        Beans.of(JobSweeper.class).sweep();
        assertTrue(listed(event -> { }).findValuesAsText("environmentId").stream().noneMatch(ready.id()::equals));
        assertFalse(Beans.of(SandboxGateway.class).deleteSnapshot(ready.id()), "its snapshot is gone at E2B");
    }
}
