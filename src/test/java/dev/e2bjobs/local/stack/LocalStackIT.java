package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.s3.S3Emulator;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The packaged artifact behind the local gateway, as scripts/run-local runs it (after `package`, so
 * it is an integration test): jobs over plain HTTP and uploaded to S3, the scheduled sweep, functions scaling out, the
 * Lambda Invoke API through the AWS SDK, the function logs, and a clean stop. One stack serves every
 * test; the authorizer, tenancy and secrets are {@link SecurityIT}'s.
 */
class LocalStackIT {
    /** status's maximum here: below the scale-out test's concurrent clients, so that the cap shows. */
    private static final int STATUS_MAX_INSTANCES = 3;
    private static final ObjectMapper JSON = StackClient.JSON;
    private static LocalStack stack;
    private static StackClient jobs;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack();
        // every S3 notification twice, as S3 may deliver it: ingest must make one job of them
        stack.start(StackOptions.forTests().withMaxInstances("status", STATUS_MAX_INSTANCES).withS3Deliveries(2));
        jobs = new StackClient(stack);
    }

    @AfterAll
    static void stopsEverythingItStarted() {
        stack.close();
        assertFalse(stack.anyProcessAlive(), "every function instance, DynamoDB Local and the S3 emulator stopped");
    }

    /** The Python client (clients/python) and all its tests, run by the system's python3 against this stack, as a user would. */
    @Test
    void thePythonClientsTestsPassAgainstTheStack() throws Exception {
        ProcessBuilder python = new ProcessBuilder("python3", "-m", "unittest", "discover", "-v", "-s", "tests", "-t", ".")
                .directory(Path.of("clients/python").toFile()).redirectErrorStream(true);
        python.environment().put("E2B_JOBS_URL", "http://127.0.0.1:" + stack.port());
        python.environment().put("E2B_JOBS_TOKEN", stack.tokens().bearer("python-client").substring("Bearer ".length()));
        Process process = python.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(5, TimeUnit.MINUTES), output);
        assertEquals(0, process.exitValue(), output);
        assertFalse(output.contains("skipped"), "the tests against the stack ran:\n" + output);
    }

    @Test
    void aJobIsAcceptedAtOnceAndItsEndComesToALongPoll() throws Exception {
        HttpResponse<String> accepted = jobs.call("POST", "/jobs", "{\"files\":{\"main.py\":\"print(6*7)\"},\"command\":\"python main.py\"}");
        assertEquals(202, accepted.statusCode(), accepted.body());
        JsonNode job = JSON.readTree(accepted.body());
        assertEquals("QUEUED", job.path("status").asText());
        String location = accepted.headers().firstValue("Location").orElseThrow();
        assertEquals("/jobs/" + job.path("jobId").asText(), location);

        JsonNode done = JSON.readTree(jobs.call("GET", location + "?wait=20", null).body());
        assertEquals("SUCCEEDED", done.path("status").asText(), done.toString());
        assertEquals("42\n", done.path("stdout").path("text").asText());

        HttpResponse<String> rejected = jobs.call("POST", "/jobs", "{\"files\":{\"../x\":\"1\"},\"command\":\"true\"}");
        assertEquals(400, rejected.statusCode());
        assertEquals("application/problem+json", rejected.headers().firstValue("Content-Type").orElse(""));
        assertEquals(404, jobs.call("GET", "/no-such-route", null).statusCode());
    }

    @Test
    void everyFunctionOfTheTemplateRunsAndWhatItPrintsGoesToItsLogs() throws Exception {
        assertEquals(List.of("cancel", "environments", "follow", "ingest", "launch", "notify", "status", "submit", "sweep"),
                List.copyOf(stack.instanceCounts().keySet()));
        for (String function : stack.instanceCounts().keySet()) {
            assertTrue(stack.functionLogs(function).contains("Profile prod activated"), function + " logged its start");
        }
        jobs.ended(jobs.submit("{\"files\":{\"main.py\":\"print(1)\"},\"command\":\"python main.py\"}").path("jobId").asText());
        StackClient.eventually("launch logged its report", Duration.ofSeconds(10),
                () -> stack.functionLogs("launch").contains("launch (submit): LaunchReport["));
        assertTrue(stack.functionLogs().contains("launch (submit): LaunchReport["), "every function's logs together");
    }

    @Test
    void anUploadedZipRunsOnceAndItsResultsAppearInTheBucket() throws Exception {
        Path dir = Files.createTempDirectory("bundle-");
        Files.writeString(dir.resolve("job.json"), "{\"command\": \"python main.py\"}");
        Files.writeString(dir.resolve("main.py"), "import os\nos.makedirs('results')\nopen('results/out.bin', 'wb').write(bytes(range(256)))\n"
                + "print('via s3')");
        byte[] zip = SubmitBundle.bundle(dir);
        try (S3Client s3 = S3Emulator.client(URI.create(stack.s3Url()))) {
            s3.putObject(b -> b.bucket(stack.artifactsBucket()).key("jobs/it/upload 1.zip"), RequestBody.fromBytes(zip));
            String results = "results/it/upload 1/";
            StackClient.eventually("status.json in the bucket", Duration.ofSeconds(60), () -> exists(s3, results + "status.json"));

            JsonNode status = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(stack.artifactsBucket()).key(results + "status.json")).asByteArray());
            assertEquals("SUCCEEDED", status.path("status").asText(), status.toString());
            assertEquals("via s3\n", s3.getObjectAsBytes(b -> b.bucket(stack.artifactsBucket()).key(results + "stdout.txt")).asUtf8String());
            byte[] out = s3.getObjectAsBytes(b -> b.bucket(stack.artifactsBucket()).key(results + "files/results/out.bin")).asByteArray();
            assertEquals(256, out.length);
            assertEquals((byte) 255, out[255]);
            String jobId = status.path("jobId").asText();
            assertEquals(1, new LocalE2bAdmin(stack.e2bUrl()).createdPer("e2bjobs.jobId").get(jobId), "two notifications, one sandbox");
            assertEquals(2, stack.functionLogs("ingest").split("QUEUED " + jobId, -1).length - 1, "both notifications named the one job");
            StackClient.eventually("the follower saw the job end", Duration.ofSeconds(10),
                    () -> stack.functionLogs("follow").contains("followed job " + jobId + ": SUCCEEDED"));
        }
    }

    @Test
    void aJobsLogLinesTellEachLifecycleEventWithItsIdsAndAnEmfDocumentItsOutcome() throws Exception {
        String jobId = jobs.submit("{\"files\":{\"main.py\":\"print('logged')\"},\"command\":\"python main.py\"}").path("jobId").asText();
        assertEquals("SUCCEEDED", jobs.ended(jobId).path("status").asText());

        List<JsonNode> events = new ArrayList<>();
        List<JsonNode> outcomes = new ArrayList<>();
        StackClient.eventually("the job's finished line and its EMF document", Duration.ofSeconds(10), () -> {
            events.clear();
            outcomes.clear();
            for (JsonNode line : jsonLines(stack.functionLogs())) {
                if (jobId.equals(line.path("mdc").path("jobId").asText()) && line.path("mdc").has("event")) {
                    events.add(line);
                }
                if (line.has("_aws") && jobId.equals(line.path("jobId").asText()) && line.has("JobsEnded")) {
                    outcomes.add(line);
                }
            }
            return events.stream().anyMatch(line -> line.path("mdc").path("event").asText().equals("finished")) && !outcomes.isEmpty();
        });
        events.sort(java.util.Comparator.comparing(line -> java.time.Instant.parse(line.path("timestamp").asText()))); // logs come function by function

        assertEquals(List.of("queued", "launched", "finished"), events.stream().map(line -> line.path("mdc").path("event").asText()).toList(),
                "one line per lifecycle event: " + events);
        String owner = events.get(0).path("mdc").path("owner").asText();
        assertFalse(owner.isEmpty(), events.get(0).toString());
        String sandboxId = events.get(1).path("mdc").path("sandboxId").asText();
        assertFalse(sandboxId.isEmpty(), events.get(1).toString());
        for (JsonNode line : events) {
            JsonNode mdc = line.path("mdc");
            assertEquals(owner, mdc.path("owner").asText(), line.toString());
            assertFalse(mdc.path("requestId").asText().isEmpty(), "the Lambda request id: " + line);
            assertEquals("INFO", line.path("level").asText(), line.toString());
        }
        assertEquals(sandboxId, events.get(2).path("mdc").path("sandboxId").asText());
        assertEquals("SUCCEEDED", events.get(2).path("mdc").path("status").asText());
        assertTrue(events.get(1).path("mdc").path("queueWaitMs").asLong(-1) >= 0, events.get(1).toString());

        JsonNode outcome = outcomes.get(0);
        assertEquals(1, outcomes.size(), "one end, one outcome: " + outcomes);
        JsonNode directive = outcome.path("_aws").path("CloudWatchMetrics").get(0);
        assertEquals("e2b-jobs", directive.path("Namespace").asText());
        assertEquals("[[\"deployment\",\"status\",\"errorCode\"]]", directive.path("Dimensions").toString());
        assertEquals("SUCCEEDED", outcome.path("status").asText());
        assertEquals("NONE", outcome.path("errorCode").asText());
        assertEquals(1, outcome.path("JobsEnded").asInt());
        assertTrue(outcome.path("_aws").path("Timestamp").isNumber());

        String logs = stack.functionLogs();
        assertFalse(logs.contains(LocalStack.DEFAULT_E2B_API_KEY), "the E2B API key in the function logs");
        assertFalse(logs.contains("print('logged')"), "the job's code in the function logs");
    }

    /** The log lines that are JSON objects: every log line in prod, and the EMF documents. */
    private static List<JsonNode> jsonLines(String logs) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : logs.split("\n")) {
            if (line.startsWith("{") && line.endsWith("}")) {
                try {
                    lines.add(JSON.readTree(line));
                } catch (java.io.IOException notJson) {
                    // a line cut short while being written
                }
            }
        }
        return lines;
    }

    private static boolean exists(S3Client s3, String key) {
        try {
            s3.headObject(b -> b.bucket(stack.artifactsBucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    @Test
    void theScheduledSweepFinalizesAJobNobodyPolls() throws Exception {
        jobs.submit("{\"files\":{\"main.py\":\"import time\\ntime.sleep(1)\\nprint('late')\"},"
                + "\"command\":\"python main.py\",\"labels\":{\"t\":\"sweep\"}}");
        StackClient.eventually("the sweep finalized the job nobody polled", Duration.ofSeconds(15),
                () -> jobs.statuses("t:sweep").contains("SUCCEEDED"));
    }

    @Test
    void concurrentLongPollsRunOnInstancesOfTheirOwnUpToTheFunctionsMaximum() throws Exception {
        String slowJob = "{\"files\":{\"main.py\":\"import time\\ntime.sleep(2)\"},\"command\":\"python main.py\"}";

        submitAndWait(slowJob, 2 * STATUS_MAX_INSTANCES);

        // an instance starts only while every one is busy: reaching the maximum means the long-polls overlapped
        assertEquals(STATUS_MAX_INSTANCES, stack.instanceCounts().get("status"), "scaled out to the maximum, not beyond");
        assertEquals(1, stack.instanceCounts().get("cancel"), "a function nobody called still runs one instance");
    }

    /** {@code clients} concurrent clients, each submitting a job and long-polling it until it SUCCEEDED. */
    private static Void submitAndWait(String job, int clients) throws Exception {
        StackClient.concurrently(java.util.Collections.nCopies(clients, job), clients, body -> {
            JsonNode done = jobs.ended(jobs.submit(body).path("jobId").asText());
            assertEquals("SUCCEEDED", done.path("status").asText(), done.toString());
            return done;
        });
        return null;
    }

    @Test
    void aRequestResponseInvocationAnswersWithTheFunctionsOutput() throws Exception {
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
                assertTrue(JSON.readTree(answer.get().payload().asUtf8String()).has("steps"), answer.get().payload().asUtf8String());
            }
        }
    }

    @Test
    void anEventInvocationIsAnsweredAtOnceAndThenRuns() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(Path.of("infra/events/http-api-post-jobs.json")));
        // what the gateway's authorizer adds: the caller, so that the job is the stack client's
        ((ObjectNode) event.get("requestContext")).putObject("authorizer").putObject("jwt").putObject("claims").put("sub", StackClient.DEFAULT_OWNER);
        event.put("body", "{\"files\":{\"main.py\":\"print(1)\"},\"command\":\"python main.py\",\"labels\":{\"t\":\"event\"}}");
        try (LambdaClient lambda = LambdaInvokeApiTest.client(stack.invokeUrl())) {
            InvokeResponse accepted = LambdaInvokeApiTest.invoke(lambda, "arn:aws:lambda:us-east-1:000000000000:function:submit",
                    InvocationType.EVENT, event.toString());
            assertEquals(202, accepted.statusCode());
            assertEquals("", accepted.payload().asUtf8String());
        }
        StackClient.eventually("submit, invoked as an event, stored the job", Duration.ofSeconds(15), () -> !jobs.statuses("t:event").isEmpty());
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
