package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.local.e2b.LocalE2bSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The packaged artifact behind the local gateway, as scripts/run-local runs it (after `package`, so
 * it is an integration test): jobs over plain HTTP, the scheduled sweep, functions scaling out, the
 * Lambda Invoke API through the AWS SDK, and a clean stop. One stack serves every test.
 */
class LocalStackIT {
    /** submit's maximum here: below the scale-out test's concurrent clients, so that the cap shows. */
    private static final int SUBMIT_MAX_INSTANCES = 3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalStack stack;
    private static String api;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack();
        stack.start(0, 1, Map.of("submit", SUBMIT_MAX_INSTANCES), LocalE2bSettings.defaults());
        api = "http://127.0.0.1:" + stack.port();
    }

    @AfterAll
    static void stopsEverythingItStarted() {
        stack.close();
        assertFalse(stack.anyProcessAlive(), "every function instance, DynamoDB Local and the S3 emulator stopped");
    }

    private static HttpResponse<String> call(String method, String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits (polling) until {@code condition} holds, for at most 15 s. */
    private static void eventually(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(100);
        }
    }

    /** The statuses of the jobs GET /jobs?label=... lists (listing never finalizes). */
    private static List<String> statuses(String label) throws Exception {
        List<String> statuses = new ArrayList<>();
        JSON.readTree(call("GET", api + "/jobs?label=" + label, null).body()).path("jobs").forEach(job -> statuses.add(job.path("status").asText()));
        return statuses;
    }

    @Test
    void jobsRunThroughTheGateway() throws Exception {
        HttpResponse<String> done = call("POST", api + "/jobs?wait=25", "{\"files\":{\"main.py\":\"print(6*7)\"},\"command\":\"python main.py\"}");
        assertEquals(202, done.statusCode(), done.body());
        JsonNode job = JSON.readTree(done.body());
        assertEquals("SUCCEEDED", job.path("status").asText(), done.body());
        assertEquals("42\n", job.path("stdout").path("text").asText());

        HttpResponse<String> rejected = call("POST", api + "/jobs", "{\"files\":{\"../x\":\"1\"},\"command\":\"true\"}");
        assertEquals(400, rejected.statusCode());
        assertEquals("application/problem+json", rejected.headers().firstValue("Content-Type").orElse(""));
        assertEquals(404, call("GET", api + "/no-such-route", null).statusCode());
    }

    @Test
    void theScheduledSweepFinalizesAJobNobodyPolls() throws Exception {
        call("POST", api + "/jobs", "{\"files\":{\"main.py\":\"import time\\ntime.sleep(1)\\nprint('late')\"},"
                + "\"command\":\"python main.py\",\"labels\":{\"t\":\"sweep\"}}");
        eventually("the sweep finalized the job nobody polled", () -> statuses("t:sweep").contains("SUCCEEDED"));
    }

    @Test
    void concurrentRequestsToOneFunctionRunOnInstancesOfTheirOwnUpToItsMaximum() throws Exception {
        String slowJob = "{\"files\":{\"main.py\":\"import time\\ntime.sleep(2)\"},\"command\":\"python main.py\"}";
        int clients = 2 * SUBMIT_MAX_INSTANCES;
        long single = timed(() -> submitAndWait(slowJob, 1));
        submitAndWait(slowJob, clients); // the cold starts
        long together = timed(() -> submitAndWait(slowJob, clients));

        assertEquals(SUBMIT_MAX_INSTANCES, stack.instanceCounts().get("submit"), "scaled out to the maximum, not beyond");
        assertEquals(1, stack.instanceCounts().get("cancel"), "a function nobody called still runs one instance");
        assertTrue(together < clients * single / 2, clients + " clients took " + together + " ms, one alone " + single + " ms");
    }

    private static long timed(Callable<?> work) throws Exception {
        long start = System.nanoTime();
        work.call();
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** {@code clients} concurrent POST /jobs?wait=25, each until its job SUCCEEDED. */
    private static Void submitAndWait(String job, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                answers.add(pool.submit(() -> call("POST", api + "/jobs?wait=25", job)));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                assertEquals("SUCCEEDED", JSON.readTree(answer.get().body()).path("status").asText(), answer.get().body());
            }
            return null;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aRequestResponseInvocationAnswersWithTheFunctionsOutputOneSweepAtATime() throws Exception {
        String event = Files.readString(Path.of("infra/events/eventbridge-scheduled-sweep.json"));
        try (LambdaClient lambda = LambdaInvokeApiTest.client(stack.invokeUrl())) {
            List<Future<InvokeResponse>> answers = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            for (int i = 0; i < 3; i++) {
                answers.add(pool.submit(() -> LambdaInvokeApiTest.invoke(lambda, "sweep", InvocationType.REQUEST_RESPONSE, event)));
            }
            pool.shutdown();
            for (Future<InvokeResponse> answer : answers) {
                assertEquals(200, answer.get().statusCode());
                assertNull(answer.get().functionError(), answer.get().payload().asUtf8String());
                assertTrue(JSON.readTree(answer.get().payload().asUtf8String()).has("examined"), answer.get().payload().asUtf8String());
            }
            assertEquals(1, stack.instanceCounts().get("sweep"), "ReservedConcurrentExecutions: 1");
        }
    }

    @Test
    void anEventInvocationIsAnsweredAtOnceAndThenRuns() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(Path.of("infra/events/http-api-post-jobs.json")));
        event.put("body", "{\"files\":{\"main.py\":\"print(1)\"},\"command\":\"python main.py\",\"labels\":{\"t\":\"event\"}}");
        try (LambdaClient lambda = LambdaInvokeApiTest.client(stack.invokeUrl())) {
            InvokeResponse accepted = LambdaInvokeApiTest.invoke(lambda, "arn:aws:lambda:us-east-1:000000000000:function:submit",
                    InvocationType.EVENT, event.toString());
            assertEquals(202, accepted.statusCode());
            assertEquals("", accepted.payload().asUtf8String());
        }
        eventually("submit, invoked as an event, stored the job", () -> !statuses("t:event").isEmpty());
        JsonNode submits = LambdaInvokeApiTest.invocations(stack.invokeUrl()).path("submit");
        assertEquals(event.toString(), submits.path("payloads").get(submits.path("payloads").size() - 1).asText());
    }

    @Test
    void unknownFunctionsAndOversizeEventsAreRefusedAsLambdaRefusesThem() {
        try (LambdaClient lambda = LambdaInvokeApiTest.client(stack.invokeUrl())) {
            ResourceNotFoundException unknown = assertThrows(ResourceNotFoundException.class,
                    () -> LambdaInvokeApiTest.invoke(lambda, "no-such-function", InvocationType.REQUEST_RESPONSE, "{}"));
            assertEquals(404, unknown.statusCode());
            assertTrue(unknown.getMessage().contains("Function not found: arn:aws:lambda:"), unknown.getMessage());

            LambdaException tooLarge = assertThrows(LambdaException.class, () -> LambdaInvokeApiTest.invoke(lambda, "sweep",
                    InvocationType.EVENT, "\"" + "x".repeat(LambdaInvokeApi.MAX_EVENT_BYTES) + "\""));
            assertEquals(413, tooLarge.statusCode());
            assertEquals("RequestEntityTooLargeException", tooLarge.awsErrorDetails().errorCode());
        }
    }
}
