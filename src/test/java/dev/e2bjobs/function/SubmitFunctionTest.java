package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.job.JobService;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.e2b.RouteFamily;
import dev.e2bjobs.job.JobStatus;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxSpec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** POST /jobs and POST /jobs/batch through the Lambda mock event server, on DynamoDB Local and the local E2B server. */
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
            return Map.of("e2bjobs.jobs.max-concurrent-sandboxes", "2");
        }
    }

    @Inject
    JobService jobs;

    @Inject
    SandboxGateway sandboxes;

    @Inject
    CircuitBreakerMaintenance breakers;

    @ConfigProperty(name = "quarkus.rest-client.e2b-api.url")
    String e2bUrl;

    private int sandboxesOf(String jobId) {
        return sandboxes.listOwned(Map.of(SandboxSpec.JOB_ID_KEY, jobId)).size();
    }

    @Test
    void theGenesisExampleSucceedsAndReturnsItsMetrics() throws Exception {
        Lambda.Answer answer = Lambda.submit(Jobs.genesisExample(), "wait=25", null);

        assertEquals(202, answer.status(), answer.body().toString());
        assertEquals("SUCCEEDED", answer.body().path("status").asText(), answer.body().toString());
        assertEquals(0, answer.body().path("exitCode").asInt());
        JsonNode metrics = null;
        for (JsonNode result : answer.body().path("results")) {
            if (result.path("path").asText().equals("results/metrics.json")) {
                metrics = Lambda.JSON.readTree(result.path("content").asText());
            }
        }
        assertEquals(2.4, metrics.path("combined_score").asDouble(), 1e-9, String.valueOf(metrics));
        assertEquals(26, metrics.path("num_circles").asInt());
        assertEquals(0, sandboxesOf(answer.body().path("jobId").asText()), "a finished job's sandbox is killed");
    }

    @Test
    void resultFilesComeBackByteExact() {
        ObjectNode job = Jobs.python("import os\nos.makedirs('results', exist_ok=True)\n"
                + "open('results/blob.bin','wb').write(bytes(range(256)))\nopen('results/m.json','w').write('{\"a\": 1.50}')\n");
        Lambda.Answer answer = Lambda.submit(job, "wait=25", null);

        assertEquals("SUCCEEDED", answer.body().path("status").asText(), answer.body().toString());
        byte[] every = new byte[256];
        for (int i = 0; i < 256; i++) {
            every[i] = (byte) i;
        }
        for (JsonNode result : answer.body().path("results")) {
            if (result.path("path").asText().equals("results/blob.bin")) {
                assertEquals("base64", result.path("encoding").asText());
                assertArrayEquals(every, Base64.getDecoder().decode(result.path("content").asText()));
            } else {
                assertEquals("results/m.json", result.path("path").asText());
                assertEquals("{\"a\": 1.50}", result.path("content").asText());
            }
        }
        assertEquals(2, answer.body().path("results").size());
    }

    @Test
    void aResultTooLargeToReturnInlineComesAsADownloadLink() throws Exception {
        ObjectNode job = Jobs.python("import os\nos.makedirs('results', exist_ok=True)\n"
                + "open('results/big.bin','wb').write(bytes(i % 251 for i in range(400000)))\n");
        Lambda.Answer answer = Lambda.submit(job, "wait=25", null);

        assertEquals("SUCCEEDED", answer.body().path("status").asText(), answer.body().toString());
        JsonNode big = answer.body().path("results").get(0);
        assertEquals("results/big.bin", big.path("path").asText());
        assertEquals(400_000, big.path("size").asLong());
        assertTrue(big.path("content").isMissingNode(), "too large to inline");
        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(big.path("url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        byte[] expected = new byte[400_000];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (i % 251);
        }
        assertArrayEquals(expected, download.body(), "the stored copy is byte-exact");
        assertTrue(big.path("urlExpiresAt").asText().length() > 0);
    }

    @Test
    void aJobWithMegabytesOfFilesRuns() {
        ObjectNode job = Jobs.python("import hashlib\nprint(hashlib.sha256(open('data.txt','rb').read()).hexdigest())\n");
        String data = "0123456789abcdef".repeat(65_536); // 1 MiB: more than a DynamoDB item holds
        ((ObjectNode) job.path("files")).put("data.txt", data);
        Lambda.Answer answer = Lambda.submit(job, "wait=25", null);

        assertEquals("SUCCEEDED", answer.body().path("status").asText(), answer.body().toString());
        assertEquals(sha256(data) + "\n", answer.body().path("stdout").path("text").asText());
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aFailingProgramFailsWithItsStderr() {
        Lambda.Answer answer = Lambda.submit(Jobs.python("import sys\nprint('about to fail')\nraise SystemExit('bad input: 42')\n"), "wait=25", null);

        assertEquals("FAILED", answer.body().path("status").asText(), answer.body().toString());
        assertEquals("EXIT_NONZERO", answer.body().path("error").path("code").asText());
        assertEquals(1, answer.body().path("exitCode").asInt());
        assertTrue(answer.body().path("stderr").path("text").asText().contains("bad input: 42"));
        assertEquals("about to fail\n", answer.body().path("stdout").path("text").asText());
    }

    @Test
    void aDependencyThatCannotBeInstalledFailsTheJobBeforeItsCommand() {
        ObjectNode job = Jobs.python("open('ran', 'w').write('the command ran')\n");
        job.putArray("dependencies").add("surely-not-a-package-e2bjobs==0.0.1");
        job.putObject("env").put("PIP_RETRIES", "0");
        Lambda.Answer answer = Lambda.submit(job, "wait=25", null);

        assertEquals("FAILED", answer.body().path("status").asText(), answer.body().toString());
        assertEquals("INSTALL_FAILED", answer.body().path("error").path("code").asText());
        assertTrue(answer.body().path("stderr").path("text").asText().length() > 0, "pip's output is the job's stderr");
    }

    @Test
    void anUnreachableE2bFailsTheJobAndAnE2bAtItsCapKeepsItQueued() {
        LocalE2bAdmin e2b = new LocalE2bAdmin(e2bUrl);
        try {
            e2b.fail(RouteFamily.CONTROL, 1.0, List.of(503), 0);
            Lambda.Answer unavailable = Lambda.submit(Jobs.python("print(1)"), null, null);
            assertEquals("FAILED", unavailable.body().path("status").asText(), unavailable.body().toString());
            assertEquals("E2B_UNAVAILABLE", unavailable.body().path("error").path("code").asText());

            breakers.resetAll();
            e2b.fail(RouteFamily.CONTROL, 1.0, List.of(429), 0);
            Lambda.Answer capped = Lambda.submit(Jobs.python("print(1)"), null, null);
            assertEquals("QUEUED", capped.body().path("status").asText(), "waits for a slot at E2B: " + capped.body());
            e2b.clear();
            jobs.cancel("anonymous", capped.body().path("jobId").asText());
        } finally {
            e2b.clear();
            breakers.resetAll();
        }
    }

    @Test
    void theSameIdempotencyKeyTwiceMakesOneJobAndOneSandbox() {
        String key = UUID.randomUUID().toString();
        ObjectNode job = Jobs.python("import time\ntime.sleep(2)\n");
        Lambda.Answer first = Lambda.submit(job, null, key);
        Lambda.Answer second = Lambda.submit(job, null, key);

        assertEquals(202, first.status());
        assertEquals(202, second.status());
        String jobId = first.body().path("jobId").asText();
        assertEquals(jobId, second.body().path("jobId").asText());
        assertEquals(1, sandboxesOf(jobId));

        Lambda.Answer other = Lambda.submit(Jobs.python("print('another job')\n"), null, key);
        assertEquals(409, other.status());
        assertEquals("IDEMPOTENCY_KEY_REUSED", other.body().path("code").asText());
        jobs.cancel("anonymous", jobId);
    }

    @Test
    void jobsOverTheCapQueueAndStartWhenASlotFrees() {
        String owner = "anonymous";
        ObjectNode sleeper = Jobs.python("import time\ntime.sleep(30)\n");
        String first = Lambda.submit(sleeper, null, null).body().path("jobId").asText();
        String second = Lambda.submit(sleeper, null, null).body().path("jobId").asText();
        Lambda.Answer third = Lambda.submit(sleeper, null, null);

        assertEquals("QUEUED", third.body().path("status").asText(), "two sandboxes is the cap here");
        String thirdId = third.body().path("jobId").asText();
        assertEquals(0, sandboxesOf(thirdId));

        jobs.cancel(owner, first);
        assertEquals(JobStatus.RUNNING, jobs.status(owner, thirdId).status(), "a freed slot starts the oldest queued job");
        assertEquals(1, sandboxesOf(thirdId));
        jobs.cancel(owner, second);
        jobs.cancel(owner, thirdId);
    }

    @Test
    void aBatchSubmitsEveryJobOrNone() {
        Lambda.Answer batch = Lambda.http("http-api-post-jobs-batch.json", event -> { });
        assertEquals(202, batch.status(), batch.body().toString());
        assertEquals(1, batch.body().size());

        Lambda.Answer invalid = Lambda.http("http-api-post-jobs-batch.json", event -> event.put("body",
                "[{\"files\":{\"main.py\":\"print(1)\"},\"command\":\"python main.py\"},{\"files\":{\"/etc/x\":\"\"},\"command\":\"true\"}]"));
        assertEquals(400, invalid.status());
        assertEquals("PATH_ABSOLUTE", invalid.body().path("code").asText());
        assertTrue(invalid.body().path("detail").asText().startsWith("jobs[1]"));

        Lambda.Answer empty = Lambda.http("http-api-post-jobs-batch.json", event -> event.put("body", "[]"));
        assertEquals(400, empty.status());
        assertEquals("BATCH_SIZE", empty.body().path("code").asText());
    }
}
