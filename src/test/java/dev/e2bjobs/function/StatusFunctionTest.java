package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.e2b.EnvdClient;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobLauncher;
import dev.e2bjobs.job.JobQueries;
import dev.e2bjobs.job.JobRequest;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.job.QueuedJobs;
import dev.e2bjobs.job.Runner;
import dev.e2bjobs.local.StandIn;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.e2b.RouteFamily;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxSpec;
import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * GET /jobs/{jobId} (with ?wait=N) and GET /jobs through the Lambda mock event server: whole jobs on the
 * local E2B server, finalized by the status call that finds them done.
 */
@QuarkusTest
@TestProfile(StatusFunctionTest.Status.class)
class StatusFunctionTest {

    public static class Status extends Jobs.Profile {
        @Override
        String function() {
            return "status";
        }
    }

    /** Why a test runs in the app's process only: a started job is arranged through the app's beans. */
    static final String STARTED = "a started job is arranged through the app's beans";

    @StandIn
    JobStore store;

    @StandIn
    LocalE2bAdmin e2b;

    private static String started(ObjectNode body) {
        return started(Lambda.JSON.convertValue(body, JobBody.class).toRequest());
    }

    /** Queued and started through the app's beans, as a submit and the launch it hands off to would. */
    static String started(JobRequest request) {
        return Jobs.started(Beans.of(JobIntake.class), Beans.of(JobLauncher.class), Jobs.OWNER, request);
    }

    static Lambda.Answer get(String jobId, Integer wait) {
        return Lambda.http("http-api-get-job.json", Lambda.jobId(jobId).andThen(event -> {
            if (wait != null) {
                event.putObject("queryStringParameters").put("wait", String.valueOf(wait));
            }
        }));
    }

    /** Long-polls GET /jobs/{id}?wait=20 until the job has ended. */
    static JsonNode ended(String jobId) {
        JsonNode job = get(jobId, 20).body();
        for (int i = 0; i < 5 && !List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED").contains(job.path("status").asText()); i++) {
            job = get(jobId, 20).body();
        }
        return job;
    }

    private int sandboxesOf(String jobId) {
        return e2b.existing(SandboxSpec.JOB_ID_KEY, jobId);
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void theGenesisExampleSucceedsAndReturnsItsMetrics() throws Exception {
        String jobId = started(Jobs.genesisExample());

        JsonNode job = ended(jobId);

        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(0, job.path("exitCode").asInt());
        JsonNode metrics = null;
        for (JsonNode result : job.path("results")) {
            if (result.path("path").asText().equals("results/metrics.json")) {
                metrics = Lambda.JSON.readTree(result.path("content").asText());
            }
        }
        assertEquals(2.4, metrics.path("combined_score").asDouble(), 1e-9, String.valueOf(metrics));
        assertEquals(26, metrics.path("num_circles").asInt());
        assertEquals(0, sandboxesOf(jobId), "a finished job's sandbox is killed");
        assertEquals(false, store.stored(jobId).slotHeld(), "and its slot given back");
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void resultFilesComeBackByteExactInlineOrAsADownloadLink() throws Exception {
        String jobId = started(Jobs.python("import os\nos.makedirs('results', exist_ok=True)\n"
                + "open('results/blob.bin','wb').write(bytes(range(256)))\nopen('results/m.json','w').write('{\"a\": 1.50}')\n"
                + "open('results/big.bin','wb').write(bytes(i % 251 for i in range(400000)))\n"));

        JsonNode job = ended(jobId);

        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        byte[] every = new byte[256];
        for (int i = 0; i < 256; i++) {
            every[i] = (byte) i;
        }
        byte[] big = new byte[400_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i % 251);
        }
        assertEquals(3, job.path("results").size(), job.toString());
        for (JsonNode result : job.path("results")) {
            switch (result.path("path").asText()) {
                case "results/blob.bin" -> assertArrayEquals(every, Base64.getDecoder().decode(result.path("content").asText()));
                case "results/m.json" -> assertEquals("{\"a\": 1.50}", result.path("content").asText());
                case "results/big.bin" -> {
                    assertTrue(result.path("content").isMissingNode(), "too large to inline");
                    HttpResponse<byte[]> download = HttpClient.newHttpClient().send(
                            HttpRequest.newBuilder(URI.create(result.path("url").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertArrayEquals(big, download.body(), "the stored copy is byte-exact");
                }
                default -> throw new AssertionError(result.toString());
            }
        }
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void aFinishedRunnerIsHarvestedInOneReadOfItsPackedOutcome() throws Exception {
        String jobId = started(Jobs.python("import os\nos.makedirs('results/deeper', exist_ok=True)\n"
                + "open('results/a.json', 'w').write('{}')\nopen('results/deeper/b.txt', 'w').write('b')\nprint('out')\n"));
        Jobs.awaitRunnerDone(store, Beans.of(SandboxGateway.class), jobId);
        long files = e2b.requests(RouteFamily.FILES);
        long rpc = e2b.requests(RouteFamily.RPC);

        JsonNode job = get(jobId, null).body();

        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals("out\n", job.path("stdout").path("text").asText());
        assertEquals(List.of("results/a.json", "results/deeper/b.txt"),
                java.util.stream.StreamSupport.stream(job.path("results").spliterator(), false).map(r -> r.path("path").asText()).sorted().toList());
        assertEquals(1, e2b.requests(RouteFamily.FILES) - files, "exit code, output and results: one read");
        assertEquals(0, e2b.requests(RouteFamily.RPC) - rpc, "no listing");
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void aLongPollFollowingTheRunnerGetsItsOutcomeWithItsExitAndReadsNothing() {
        String jobId = started(Jobs.python("import os, time\ntime.sleep(1)\nos.makedirs('results', exist_ok=True)\n"
                + "open('results/m.json', 'w').write('{\"m\": 2}')\nprint('followed')\n"));
        long files = e2b.requests(RouteFamily.FILES);

        JsonNode job = get(jobId, 20).body();

        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals("followed\n", job.path("stdout").path("text").asText());
        assertEquals("{\"m\": 2}", job.path("results").get(0).path("content").asText());
        assertEquals(0, e2b.requests(RouteFamily.FILES) - files, "the outcome came on the followed runner's stdout");
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void aJobWithMegabytesOfFilesRuns() throws Exception {
        ObjectNode body = Jobs.python("import hashlib\nprint(hashlib.sha256(open('data.txt','rb').read()).hexdigest())\n");
        String data = "0123456789abcdef".repeat(65_536); // 1 MiB: more than a DynamoDB item holds
        ((ObjectNode) body.path("files")).put("data.txt", data);

        JsonNode job = ended(started(body));

        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data.getBytes(StandardCharsets.UTF_8))) + "\n",
                job.path("stdout").path("text").asText());
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void aFailingProgramFailsWithItsStderrAndAnUninstallableDependencyBeforeItsCommand() {
        JsonNode failing = ended(started(Jobs.python("print('about to fail')\nraise SystemExit('bad input: 42')\n")));
        assertEquals("FAILED", failing.path("status").asText(), failing.toString());
        assertEquals("EXIT_NONZERO", failing.path("error").path("code").asText());
        assertEquals(1, failing.path("exitCode").asInt());
        assertTrue(failing.path("stderr").path("text").asText().contains("bad input: 42"));
        assertEquals("about to fail\n", failing.path("stdout").path("text").asText());

        ObjectNode body = Jobs.python("open('ran', 'w').write('the command ran')\n");
        body.putArray("dependencies").add("surely-not-a-package-e2bjobs==0.0.1");
        body.putObject("env").put("PIP_RETRIES", "0");
        JsonNode uninstallable = ended(started(body));
        assertEquals("INSTALL_FAILED", uninstallable.path("error").path("code").asText(), uninstallable.toString());
        assertEquals("pip install exited with 1: ERROR: Could not find a version that satisfies the requirement"
                + " surely-not-a-package-e2bjobs==0.0.1 (from versions: none)", uninstallable.path("error").path("message").asText());
        assertTrue(uninstallable.path("stderr").path("text").asText().contains("No matching distribution"), "pip's output is the job's stderr");
    }

    /** Prints the probe package's value if it is installed, then whether pip reaches the package index from the job's code. */
    static final String PROBE = """
            import subprocess, sys
            try:
                import e2bjobs_probe
                print(e2bjobs_probe.VALUE)
            except ImportError:
                print('no probe')
            pip = subprocess.run([sys.executable, '-m', 'pip', 'download', '--no-deps', '--disable-pip-version-check',
                                  '-d', '/tmp/downloads', 'e2bjobs-probe'], capture_output=True)
            print('index reachable' if pip.returncode == 0 else 'index unreachable')
            """;

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void aDependencyComesFromThePackageIndexWhichTheJobsOwnCodeCannotReach() {
        ObjectNode body = Jobs.python(PROBE);
        body.putArray("dependencies").add("e2bjobs-probe");

        JsonNode job = ended(started(body));

        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals("42\nindex unreachable\n", job.path("stdout").path("text").asText(), "installed, then the index was closed");
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void onlyAJobWithInternetReachesThePackageIndexFromItsCode() {
        ObjectNode online = Jobs.python(PROBE);
        online.putObject("network").put("internet", true);

        assertEquals("no probe\nindex unreachable\n", ended(started(Jobs.python(PROBE))).path("stdout").path("text").asText());
        assertEquals("no probe\nindex reachable\n", ended(started(online)).path("stdout").path("text").asText());
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void aSleepingProgramPastItsTimeoutIsTimedOutAndItsSandboxGone() {
        String jobId = started(new JobRequest(
                Map.of("main.py", JobRequest.FileContent.text("import time\ntime.sleep(60)\n")), "python main.py", null, null, null, null, 1,
                null, null, null, null));

        JsonNode job = ended(jobId);

        assertEquals("TIMED_OUT", job.path("status").asText(), job.toString());
        assertEquals(0, sandboxesOf(jobId));
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void aJobWhoseSandboxVanishedFailsAsSandboxLost() {
        String jobId = started(Jobs.request("import time\ntime.sleep(60)\n"));
        Beans.of(SandboxGateway.class).kill(store.stored(jobId).sandbox().sandboxId());

        JsonNode lost = get(jobId, null).body();
        assertEquals("FAILED", lost.path("status").asText(), lost.toString());
        assertEquals("SANDBOX_LOST", lost.path("error").path("code").asText());
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void aKilledRunnerProcessIsRunnerLostOnTheNextStatusCall() {
        String jobId = started(Jobs.request("import time\ntime.sleep(60)\n"));
        Job running = store.stored(jobId);
        assertEquals("RUNNING", get(jobId, null).body().path("status").asText(), "the runner is at work");

        EnvdClient envd = Beans.of(EnvdClient.class);
        long runner = envd.processes(running.sandbox()).stream().filter(p -> Runner.TAG.equals(p.tag())).findFirst().orElseThrow().pid();
        envd.signal(running.sandbox(), runner, EnvdClient.Signal.SIGKILL);
        JsonNode lost = get(jobId, null).body();

        assertEquals("FAILED", lost.path("status").asText(), lost.toString());
        assertEquals("RUNNER_LOST", lost.path("error").path("code").asText());
        assertEquals(0, sandboxesOf(jobId));
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void twoRacingFinalizationsProduceOneResult() throws Exception {
        String jobId = started(Jobs.request("import uuid\nprint(uuid.uuid4())"));
        Jobs.awaitRunnerDone(store, Beans.of(SandboxGateway.class), jobId);
        Job finishedUnnoticed = store.stored(jobId);
        assertEquals("RUNNING", finishedUnnoticed.status().name(), "the runner is done, nobody has looked yet");

        JobQueries queries = Beans.of(JobQueries.class);
        CompletableFuture<Job> first = CompletableFuture.supplyAsync(() -> queries.status(Jobs.OWNER, jobId, Duration.ZERO));
        CompletableFuture<Job> second = CompletableFuture.supplyAsync(() -> queries.status(Jobs.OWNER, jobId, Duration.ZERO));

        assertEquals("SUCCEEDED", first.get().status().name());
        assertEquals(first.get().output(), second.get().output(), "both callers see the same result");
        assertEquals(finishedUnnoticed.version() + 2, store.stored(jobId).version(), "one terminal write, one slot given back");
    }

    @Test
    void unknownJobsAndOtherOwnersJobsAreNotFoundAndWaitIsBounded() {
        Lambda.Answer unknown = get("01JD0000000000000000000000", null);
        assertEquals(404, unknown.status());
        assertEquals("JOB_NOT_FOUND", unknown.body().path("code").asText());

        String someoneElses = new QueuedJobs(store).queue("jwt:someone-else", Jobs.request("print(1)"));
        assertEquals(404, get(someoneElses, null).status());
        assertEquals("WAIT_INVALID", get(someoneElses, 21).body().path("code").asText());
    }

    @Test
    void listShowsSummariesFiltersByLabelAndPages() {
        String owner = "lister-" + UUID.randomUUID();
        QueuedJobs queued = new QueuedJobs(store);
        for (String experiment : List.of("a", "a", "b")) {
            queued.queue("jwt:" + owner, new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)")), "python main.py",
                    null, null, null, null, 60, null, Map.of("experiment", experiment), null, null));
        }
        Consumer<ObjectNode> asOwner = Lambda.asOwner(owner);

        Lambda.Answer labelled = Lambda.http("http-api-list-jobs.json", asOwner.andThen(event ->
                event.putObject("queryStringParameters").put("label", "experiment:a")));
        assertEquals(200, labelled.status(), labelled.body().toString());
        assertEquals(2, labelled.body().path("jobs").size());
        assertEquals("QUEUED", labelled.body().path("jobs").get(0).path("status").asText());
        assertTrue(labelled.body().path("jobs").get(0).path("results").isMissingNode(), "a listing carries no result files");

        Lambda.Answer firstPage = Lambda.http("http-api-list-jobs.json", asOwner.andThen(event ->
                event.putObject("queryStringParameters").put("limit", "2")));
        assertEquals(2, firstPage.body().path("jobs").size());
        String cursor = firstPage.body().path("nextCursor").asText();
        Lambda.Answer secondPage = Lambda.http("http-api-list-jobs.json", asOwner.andThen(event ->
                event.putObject("queryStringParameters").put("limit", "2").put("cursor", cursor)));
        assertEquals(1, secondPage.body().path("jobs").size());

        for (Map.Entry<String, String> bad : Map.of("status", "STATUS_INVALID", "limit", "LIMIT_INVALID", "cursor", "CURSOR_INVALID").entrySet()) {
            Lambda.Answer rejected = Lambda.http("http-api-list-jobs.json", asOwner.andThen(event ->
                    event.putObject("queryStringParameters").put(bad.getKey(), bad.getKey().equals("limit") ? "0" : "not-ours")));
            assertEquals(400, rejected.status());
            assertEquals(bad.getValue(), rejected.body().path("code").asText(), rejected.body().toString());
        }
    }
}
