package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.local.StandIn;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.e2b.RouteFamily;
import dev.e2bjobs.local.stack.HandOffs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /jobs and POST /jobs/batch through the Lambda mock event server: they queue and hand off, and never wait on E2B. */
@QuarkusTest
@TestProfile(SubmitFunctionTest.Submit.class)
class SubmitFunctionTest {

    public static class Submit extends Jobs.Profile {
        @Override
        String function() {
            return "submit";
        }

        @Override
        Map<String, String> settings() {
            return Map.of("e2bjobs.quota.per-owner.\"jwt:small\"", "2");
        }
    }

    @StandIn
    JobStore store;

    @StandIn
    LocalE2bAdmin e2b;

    @StandIn
    HandOffs handOffs;

    private static Lambda.Answer batch(List<ObjectNode> jobs, String idempotencyKey) {
        ArrayNode body = Lambda.JSON.createArrayNode();
        jobs.forEach(body::add);
        return Lambda.http("http-api-post-jobs-batch.json", event -> {
            event.put("body", body.toString());
            if (idempotencyKey != null) {
                ((ObjectNode) event.path("headers")).put("idempotency-key", idempotencyKey);
            }
        });
    }

    private static List<String> ids(JsonNode views) {
        List<String> ids = new ArrayList<>();
        views.forEach(view -> ids.add(view.path("jobId").asText()));
        return ids;
    }

    @Test
    void aSubmitAnswersAtOnceWithTheQueuedJobAndHandsItToTheLaunchFunction() {
        long e2bCalls = e2b.requests(RouteFamily.CONTROL) + e2b.requests(RouteFamily.FILES) + e2b.requests(RouteFamily.RPC);

        Lambda.Answer answer = Lambda.submit(Jobs.genesisExample(), null, null);

        assertEquals(202, answer.status(), answer.body().toString());
        String jobId = answer.body().path("jobId").asText();
        assertEquals("QUEUED", answer.body().path("status").asText());
        assertEquals("/jobs/" + jobId, answer.headers().path("location").asText());
        assertEquals(e2bCalls, e2b.requests(RouteFamily.CONTROL) + e2b.requests(RouteFamily.FILES) + e2b.requests(RouteFamily.RPC),
                "a submit never calls E2B");
        JsonNode handOff = handOffs.last("launch");
        assertEquals(jobId, handOff.path("jobIds").path(0).asText(), "the launch function is told which job: " + handOff);
        assertEquals("QUEUED", store.stored(jobId).status().name());
    }

    @Test
    void submitAndBatchQueueJobsWhileE2bIsDown() {
        try {
            e2b.fail(RouteFamily.CONTROL, 1.0, List.of(503), 0);
            Lambda.Answer single = Lambda.submit(Jobs.python("print(1)"), null, null);
            Lambda.Answer twenty = batch(java.util.Collections.nCopies(20, Jobs.python("print(2)")), null);

            assertEquals(202, single.status());
            assertEquals("QUEUED", single.body().path("status").asText());
            assertEquals(202, twenty.status(), twenty.body().toString());
            assertEquals(20, twenty.body().size());
            twenty.body().forEach(job -> assertEquals("QUEUED", job.path("status").asText()));
        } finally {
            e2b.clear();
        }
    }

    @Test
    void aJobThatAsksForItsResultsInTheBucketIsToldWhereAndOnlyS3IsTaken() {
        ObjectNode job = Jobs.python("print(1)");
        job.put("resultsTo", "s3");
        Lambda.Answer accepted = Lambda.submit(job, null, null);
        assertEquals(202, accepted.status());
        assertEquals("results/" + accepted.body().path("jobId").asText() + "/", accepted.body().path("resultsPrefix").asText());

        Lambda.Answer refused = Lambda.submit(job.put("resultsTo", "gcs"), null, null);
        assertEquals(400, refused.status());
        assertEquals("RESULTS_TO_INVALID", refused.body().path("code").asText());
    }

    @Test
    void theSameIdempotencyKeyTwiceMakesOneJobAndAnotherPayloadIsAConflict() {
        String key = UUID.randomUUID().toString();
        ObjectNode job = Jobs.python("print('once')\n");
        Lambda.Answer first = Lambda.submit(job, null, key);
        Lambda.Answer second = Lambda.submit(job, null, key);

        assertEquals(202, second.status());
        assertEquals(first.body().path("jobId").asText(), second.body().path("jobId").asText());

        Lambda.Answer other = Lambda.submit(Jobs.python("print('another job')\n"), null, key);
        assertEquals(409, other.status());
        assertEquals("IDEMPOTENCY_KEY_REUSED", other.body().path("code").asText());
    }

    @Test
    void aBatchWithAnIdempotencyKeyIsStoredOnce() {
        String key = UUID.randomUUID().toString();
        List<ObjectNode> jobs = List.of(Jobs.python("print(1)"), Jobs.python("print(2)"), Jobs.python("print(3)"));
        Lambda.Answer first = batch(jobs, key);
        Lambda.Answer again = batch(jobs, key);

        assertEquals(202, first.status(), first.body().toString());
        assertEquals(3, first.body().size());
        assertEquals(ids(first.body()), ids(again.body()), "a retried batch gets the same jobs");
        assertEquals(409, batch(jobs.subList(0, 2), key).status(), "another payload under the key is a conflict");
    }

    @Test
    void aBatchIsValidatedWholeAndStoredWholeOrNotAtAll() {
        String owner = "batcher-" + UUID.randomUUID();
        Lambda.Answer invalid = Lambda.http("http-api-post-jobs-batch.json", event -> {
            event.put("body", "[{\"files\":{\"main.py\":\"print(1)\"},\"command\":\"python main.py\"},"
                    + "{\"files\":{\"/etc/x\":\"\"},\"command\":\"true\"}]");
            Lambda.asOwner(owner).accept(event);
        });
        assertEquals(400, invalid.status());
        assertEquals("PATH_ABSOLUTE", invalid.body().path("code").asText());
        assertTrue(invalid.body().path("detail").asText().startsWith("jobs[1]"));
        assertEquals(0, store.list("jwt:" + owner, null, null, null, 10).jobs().size(), "not even the valid job was stored");

        Lambda.Answer empty = Lambda.http("http-api-post-jobs-batch.json", event -> event.put("body", "[]"));
        assertEquals(400, empty.status());
        assertEquals("BATCH_SIZE", empty.body().path("code").asText());
    }

    @Test
    void anOwnerAtItsQuotaGets429WithRetryAfterAndNothingIsStored() {
        Lambda.Answer first = Lambda.http("http-api-post-jobs.json", asSmall(Jobs.python("print(1)")));
        Lambda.Answer second = Lambda.http("http-api-post-jobs.json", asSmall(Jobs.python("print(2)")));
        Lambda.Answer third = Lambda.http("http-api-post-jobs.json", asSmall(Jobs.python("print(3)")));

        assertEquals(202, first.status());
        assertEquals(202, second.status());
        assertEquals(429, third.status(), third.body().toString());
        assertEquals("QUOTA_EXCEEDED", third.body().path("code").asText());
        assertEquals("30", third.headers().path("retry-after").asText());
        assertEquals(2, store.list("jwt:small", null, null, null, 10).jobs().size());
    }

    private static java.util.function.Consumer<ObjectNode> asSmall(ObjectNode job) {
        return event -> {
            event.put("body", job.toString());
            Lambda.asOwner("small").accept(event);
        };
    }

    @Test
    void waitingIsForGetNotForPost() {
        Lambda.Answer answer = Lambda.submit(Jobs.python("print(1)"), "wait=20", null);
        assertEquals(400, answer.status());
        assertEquals("WAIT_NOT_SUPPORTED", answer.body().path("code").asText());
        assertTrue(answer.body().path("detail").asText().contains("GET /jobs/{jobId}?wait=N"));
    }
}
