package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.sandbox.SandboxSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Security section of the README on the whole local stack (after `package`): the authorizer before
 * any function; each owner's own jobs, batches and Idempotency-Keys; per-owner quotas; the E2B key
 * read by ARN from Secrets Manager, rotated without a restart and never leaked; sandbox egress (the
 * package index only for a job's dependencies); callback URLs that may not point inward. One stack
 * serves every test; the leak check runs last, over everything the others did.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {
    private static final ObjectMapper JSON = StackClient.JSON;
    /** The functions behind the HTTP API's routes. */
    private static final List<String> HTTP_FUNCTIONS = List.of("submit", "status", "cancel");
    /** An owner with a quota of their own, small enough to reach. */
    private static final String QUOTA_OWNER = "quota-it";
    private static final int QUOTA = 2;
    /** What the operators rotate the E2B key to. */
    private static final String ROTATED_KEY = "e2b_fedcba9876543210";
    private static final String JOBS_TABLE = "e2b-jobs";
    /** A job's code that tells whether its sandbox reaches the package index, and succeeds either way. */
    private static final String PIP_DOWNLOAD = """
            import subprocess, sys
            pip = subprocess.run([sys.executable, '-m', 'pip', 'download', '--no-deps', '--disable-pip-version-check',
                                  '-d', '/tmp/dl', 'e2bjobs-probe'], capture_output=True, text=True)
            print('index reachable' if pip.returncode == 0 else 'index unreachable')
            """;
    private static final String IMPORT_PROBE = "import e2bjobs_probe; print(e2bjobs_probe.VALUE)\n";
    /** Every answer any test got from the jobs API, for the leak check. */
    private static final List<HttpResponse<String>> ANSWERS = new CopyOnWriteArrayList<>();
    private static LocalStack stack;
    private static StackClient jobs;
    private static LocalE2bAdmin e2b;
    private static String originalKey;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack();
        stack.start(StackOptions.forTests().withConfig("e2bjobs.quota.per-owner.jwt:" + QUOTA_OWNER, String.valueOf(QUOTA)));
        jobs = new StackClient(stack).observed(ANSWERS::add);
        e2b = new LocalE2bAdmin(stack.e2bUrl());
        originalKey = currentE2bKey();
    }

    @AfterAll
    static void stop() {
        stack.close();
        assertFalse(stack.anyProcessAlive());
    }

    // --- authentication and tenancy

    @Test
    void aRequestWithoutAValidTokenIs401AndNoFunctionRuns() throws Exception {
        Map<String, Integer> before = httpInvocations();
        List<StackClient> refused = List.of(jobs.withAuthorization(null),
                jobs.withAuthorization("Bearer " + stack.tokens().token(StackClient.DEFAULT_OWNER, Duration.ofSeconds(-1))),
                jobs.withAuthorization(LocalJwt.generate().bearer(StackClient.DEFAULT_OWNER)));
        for (StackClient caller : refused) {
            for (String route : List.of("POST /jobs", "POST /jobs/batch", "GET /jobs", "GET /jobs/01J0000000000000000000000",
                    "DELETE /jobs/01J0000000000000000000000")) {
                HttpResponse<String> answer = caller.call(route.split(" ")[0], route.split(" ")[1], null);
                assertEquals(401, answer.statusCode(), route);
                assertEquals("{\"message\":\"Unauthorized\"}", answer.body());
            }
        }
        assertEquals(before, httpInvocations(), "no function was invoked");
    }

    private static Map<String, Integer> httpInvocations() {
        Map<String, Integer> counts = new HashMap<>(stack.invocationCounts());
        counts.keySet().retainAll(HTTP_FUNCTIONS);
        return counts;
    }

    @Test
    void eachOwnerSeesOnlyTheirOwnJobs() throws Exception {
        StackClient alice = jobs.as("alice");
        StackClient bob = jobs.as("bob");
        String job = "{\"files\":{\"main.py\":\"print(1)\"},\"command\":\"python main.py\"}";
        String alices = alice.submit(job).path("jobId").asText();
        String bobs = bob.submit(job).path("jobId").asText();

        assertEquals(List.of(alices), listed(alice));
        assertEquals(List.of(bobs), listed(bob));
        assertEquals(404, bob.call("GET", "/jobs/" + alices, null).statusCode(), "another owner's job does not exist for bob");
        assertEquals(404, bob.call("DELETE", "/jobs/" + alices, null).statusCode());
        HttpResponse<String> own = alice.call("GET", "/jobs/" + alices, null);
        assertEquals(200, own.statusCode());
        assertNotEquals("CANCELLED", JSON.readTree(own.body()).path("status").asText(), "bob's cancel did not touch it");
    }

    @Test
    void anIdempotencyKeyIsItsOwnersOnly() throws Exception {
        StackClient alice = jobs.as("alice-idempotency");
        StackClient bob = jobs.as("bob-idempotency");
        Map<String, String> sameKey = Map.of("Idempotency-Key", "shared-" + UUID.randomUUID());
        String alicesJob = job("print('alice')\n", spec -> { });
        HttpResponse<String> first = alice.call("POST", "/jobs", alicesJob, sameKey);
        assertEquals(202, first.statusCode(), first.body());
        String alices = JSON.readTree(first.body()).path("jobId").asText();

        HttpResponse<String> bobs = bob.call("POST", "/jobs", job("print('bob')\n", spec -> { }), sameKey);

        assertEquals(202, bobs.statusCode(), "bob's own new job, neither alice's nor a 409: " + bobs.body());
        String bobsId = JSON.readTree(bobs.body()).path("jobId").asText();
        assertNotEquals(alices, bobsId);
        assertEquals(List.of(bobsId), listed(bob));
        assertEquals("bob\n", bob.ended(bobsId).path("stdout").path("text").asText());
        HttpResponse<String> again = alice.call("POST", "/jobs", alicesJob, sameKey);
        assertEquals(alices, JSON.readTree(again.body()).path("jobId").asText(), "the key still names alice's job for her: " + again.body());
        assertEquals(List.of(alices), listed(alice));
    }

    @Test
    void anotherOwnersBatchJobsDoNotExist() throws Exception {
        StackClient alice = jobs.as("alice-batch");
        StackClient bob = jobs.as("bob-batch");
        String job = job("print('batch')\n", spec -> { });
        Map<String, String> key = Map.of("Idempotency-Key", "batch-" + UUID.randomUUID());
        HttpResponse<String> accepted = alice.call("POST", "/jobs/batch", "[" + job + "," + job + "]", key);
        assertEquals(202, accepted.statusCode(), accepted.body());
        List<String> alices = StackClient.ids(JSON.readTree(accepted.body()));

        for (String id : alices) {
            assertEquals(404, bob.call("GET", "/jobs/" + id, null).statusCode());
            assertEquals(404, bob.call("DELETE", "/jobs/" + id, null).statusCode());
        }
        assertEquals(List.of(), listed(bob));
        HttpResponse<String> bobsBatch = bob.call("POST", "/jobs/batch", "[" + job + "]", key);
        assertEquals(202, bobsBatch.statusCode(), "the same key with another payload, bob's own batch: " + bobsBatch.body());
        assertFalse(StackClient.ids(JSON.readTree(bobsBatch.body())).stream().anyMatch(alices::contains));
        for (String id : alices) {
            assertEquals("SUCCEEDED", alice.ended(id).path("status").asText(), "bob's cancels did not touch it");
        }
    }

    /** The ids GET /jobs lists for this caller. */
    private static List<String> listed(StackClient caller) throws Exception {
        return StackClient.ids(JSON.readTree(caller.call("GET", "/jobs?limit=100", null).body()).path("jobs"));
    }

    // --- quotas

    @Test
    void beyondItsQuotaAnOwnerGets429AndNothingIsStoredUntilOneOfItsJobsEnds() throws Exception {
        StackClient owner = jobs.as(QUOTA_OWNER);
        String slow = job("import time\ntime.sleep(30)\n", spec -> { });
        List<String> accepted = new ArrayList<>();
        try {
            for (int i = 0; i < QUOTA; i++) {
                accepted.add(owner.submit(slow).path("jobId").asText());
            }

            assertQuotaExceeded(owner.call("POST", "/jobs", slow));
            assertQuotaExceeded(owner.call("POST", "/jobs/batch", "[" + slow + "]"));
            assertEquals(new HashSet<>(accepted), new HashSet<>(listed(owner)), "nothing refused was stored");
            assertEquals(202, jobs.as("not-" + QUOTA_OWNER).call("POST", "/jobs/batch", "[" + slow + "," + slow + "," + slow + "]").statusCode(),
                    "another owner has the default quota");

            assertEquals(200, owner.call("DELETE", "/jobs/" + accepted.get(0), null).statusCode());
            assertQuotaExceeded(owner.call("POST", "/jobs/batch", "[" + slow + "," + slow + "]"));
            accepted.add(owner.submit(slow).path("jobId").asText());
            assertEquals(QUOTA + 1, listed(owner).size(), "the cancelled job and two unfinished ones");
        } finally {
            for (String id : accepted) {
                owner.call("DELETE", "/jobs/" + id, null);
            }
            for (String id : listed(jobs.as("not-" + QUOTA_OWNER))) {
                jobs.as("not-" + QUOTA_OWNER).call("DELETE", "/jobs/" + id, null);
            }
        }
    }

    private static void assertQuotaExceeded(HttpResponse<String> answer) throws IOException {
        assertEquals(429, answer.statusCode(), answer.body());
        assertEquals("QUOTA_EXCEEDED", JSON.readTree(answer.body()).path("code").asText(), answer.body());
        assertEquals("30", answer.headers().firstValue("Retry-After").orElse(null));
    }

    // --- the E2B key

    @Test
    void theE2bApiKeyIsASecretTheAwsSdkReadsAndTheLocalE2bServerAccepts() throws Exception {
        String key = currentE2bKey();
        assertEquals(200, listSandboxes(key));
        assertEquals(401, listSandboxes("e2b_ffffffffffffffff"), "the local E2B server takes no other key");
    }

    private static String currentE2bKey() {
        try (SecretsManagerClient secrets = LocalSecretsManagerTest.client(stack.secretsUrl())) {
            return secrets.getSecretValue(request -> request.secretId(LocalSecretsManager.arn(LocalStack.E2B_API_KEY_SECRET))).secretString();
        }
    }

    private static int listSandboxes(String apiKey) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(stack.e2bUrl() + "/sandboxes")).header("X-API-Key", apiKey).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aRotatedE2bKeyTakesEffectWithoutARestart() throws Exception {
        assertEquals("before\n", succeeded(job("print('before')\n", spec -> { })).path("stdout").path("text").asText());

        // as operators rotate: a new secret version first, then E2B stops accepting the old key
        HttpResponse<String> rotated = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(stack.secretsUrl() + "/_local/secrets/" + LocalStack.E2B_API_KEY_SECRET))
                .PUT(HttpRequest.BodyPublishers.ofString(ROTATED_KEY)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, rotated.statusCode(), rotated.body());
        e2b.setApiKey(ROTATED_KEY);
        assertEquals(401, listSandboxes(originalKey));

        assertEquals("after\n", succeeded(job("print('after')\n", spec -> { })).path("stdout").path("text").asText());
        StackClient.eventually("a function logged that it read the secret again", Duration.ofSeconds(10),
                () -> stack.functionLogs().contains("E2B rejected the API key; read its secret again: a new key"));
    }

    /**
     * Last: with every key the functions held (the original and, after the rotation test, the new one),
     * over everything the other tests made. The searches are shown to find what they look for (a marker
     * in a job's env) so that "not found" means something.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void theE2bApiKeyNeverLeaks() throws Exception {
        List<String> keys = List.of(originalKey, ROTATED_KEY);
        for (String function : stack.instanceCounts().keySet()) {
            Map<String, String> env = stack.functionEnvironment(function);
            assertEquals(LocalSecretsManager.arn(LocalStack.E2B_API_KEY_SECRET), env.get("E2B_API_KEY_SECRET_ARN"), function);
            assertFalse(env.containsKey("E2B_API_KEY"), function + " gets the key's ARN, not the key");
            assertNoKey(keys, function + "'s environment", env.toString());
        }

        String marker = "marker-" + UUID.randomUUID();
        JsonNode envJob = succeeded(job("", spec -> spec.put("command", "env").putObject("env").put("E2BJOBS_MARKER", marker)));
        String sandboxEnv = envJob.path("stdout").path("text").asText();
        assertTrue(sandboxEnv.contains("E2BJOBS_MARKER=" + marker), sandboxEnv);
        assertNoKey(keys, "the sandbox's environment", sandboxEnv);

        List<JsonNode> creates = e2b.createRequests();
        assertTrue(creates.stream().anyMatch(create -> create.path("envVars").toString().contains(marker)), "the env job's create request");
        creates.forEach(create -> assertNoKey(keys, "a create request's envVars", create.path("envVars").toString()));
        creates.forEach(create -> assertNoKey(keys, "a create request", create.toString()));

        assertTrue(ANSWERS.stream().anyMatch(answer -> answer.body().contains(marker)), "the env job's GET");
        ANSWERS.forEach(answer -> assertNoKey(keys, answer.request().method() + " " + answer.request().uri(), answer.body()));

        String logs = stack.functionLogs();
        assertTrue(logs.contains("Profile prod activated"), "the function logs, of functions in prod mode");
        assertNoKey(keys, "the function logs", logs);

        String items = jobsTableItems();
        assertTrue(items.contains(marker), "the env job's item, its spec unzipped");
        assertNoKey(keys, "the jobs table", items);
    }

    private static void assertNoKey(List<String> keys, String where, String text) {
        for (String key : keys) {
            assertFalse(text.contains(key), "an E2B API key in " + where);
        }
    }

    /** Every item of the jobs table as text, gzipped attributes unzipped, through DynamoDB Local with the AWS SDK. */
    private static String jobsTableItems() {
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create(stack.dynamoDbUrl())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            StringBuilder text = new StringBuilder();
            dynamo.scanPaginator(scan -> scan.tableName(JOBS_TABLE)).items().forEach(item -> text.append(text(item)).append('\n'));
            return text.toString();
        }
    }

    private static String text(Map<String, AttributeValue> item) {
        StringBuilder text = new StringBuilder();
        item.forEach((name, value) -> text.append(name).append('=').append(text(value)).append(' '));
        return text.toString();
    }

    private static String text(AttributeValue value) {
        if (value.b() != null) {
            return text(value.b());
        }
        if (value.hasM()) {
            return text(value.m());
        }
        if (value.hasL()) {
            return value.l().stream().map(SecurityIT::text).toList().toString();
        }
        if (value.hasBs()) {
            return value.bs().stream().map(SecurityIT::text).toList().toString();
        }
        return value.toString(); // S, N, SS, NS, BOOL, NULL
    }

    private static String text(SdkBytes bytes) {
        byte[] raw = bytes.asByteArray();
        if (raw.length < 2 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b) {
            return new String(raw, StandardCharsets.UTF_8);
        }
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return new String(gzip.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- sandbox egress

    /** The first job of an environment installs inline (later ones start from its snapshot, with no network): a requirement no other test uses. */
    @Test
    void dependenciesInstallThroughAnAllowListOfThePackageIndexHostsOnly() throws Exception {
        JsonNode job = succeeded(job(IMPORT_PROBE, spec -> spec.putArray("dependencies").add("e2bjobs-probe>=1.0")));

        assertEquals("42\n", job.path("stdout").path("text").asText());
        JsonNode create = createRequest(job);
        assertEquals("[\"pypi.org\",\"files.pythonhosted.org\"]", create.path("network").path("allowOut").toString(), create.toString());
        assertEquals("[\"0.0.0.0/0\"]", create.path("network").path("denyOut").toString(), create.toString());
        assertFalse(create.has("allow_internet_access"), "what a numpy job gets on E2B: the allow-list only, " + create);
    }

    @Test
    void aJobWithoutDependenciesOrInternetCannotReachThePackageIndex() throws Exception {
        JsonNode job = succeeded(job(PIP_DOWNLOAD, spec -> { }));

        assertEquals("index unreachable\n", job.path("stdout").path("text").asText());
        assertEquals("false", createRequest(job).path("allow_internet_access").toString());
    }

    @Test
    void aJobWithInternetCanReachThePackageIndex() throws Exception {
        JsonNode job = succeeded(job(PIP_DOWNLOAD, spec -> spec.putObject("network").put("internet", true)));

        assertEquals("index reachable\n", job.path("stdout").path("text").asText());
        assertEquals("true", createRequest(job).path("allow_internet_access").toString());
    }

    /** The service closes the sandbox's egress once the install is done (E2B's PUT /sandboxes/{id}/network). */
    @Test
    void afterItsDependenciesAreInstalledAJobsCodeCannotReachThePackageIndex() throws Exception {
        JsonNode job = succeeded(job(IMPORT_PROBE + PIP_DOWNLOAD, spec -> spec.putArray("dependencies").add("e2bjobs-probe")));

        assertEquals("42\nindex unreachable\n", job.path("stdout").path("text").asText());
    }

    private static JsonNode createRequest(JsonNode job) {
        return e2b.lastCreateRequest(SandboxSpec.JOB_ID_KEY, job.path("jobId").asText()).orElseThrow();
    }

    // --- callbacks

    @Test
    void aCallbackUrlThatIsNotHttpsOrPointsInwardIs400AndNothingIsStored() throws Exception {
        StackClient caller = jobs.as("callback-it");
        for (String url : List.of("https://127.0.0.1/hook", "https://169.254.169.254/latest", "https://10.0.0.1/x", "http://example.com/x",
                "https://localhost/x")) {
            String job = job("print(1)\n", spec -> spec.put("callbackUrl", url));
            for (HttpResponse<String> answer : List.of(caller.call("POST", "/jobs", job),
                    caller.call("POST", "/jobs/batch", "[" + job("print(2)\n", spec -> { }) + "," + job + "]"))) {
                assertEquals(400, answer.statusCode(), url + ": " + answer.body());
                assertEquals("CALLBACK_URL_INVALID", JSON.readTree(answer.body()).path("code").asText(), url + ": " + answer.body());
            }
        }
        assertEquals(List.of(), listed(caller), "nothing stored");
    }

    // --- helpers

    /** A job running main.py with {@code code}, the rest of its spec from {@code more}. */
    private static String job(String code, Consumer<ObjectNode> more) {
        ObjectNode spec = JSON.createObjectNode();
        spec.putObject("files").put("main.py", code);
        spec.put("command", "python main.py");
        more.accept(spec);
        return spec.toString();
    }

    /** Submits the job as the default owner and long-polls it until it has ended, which must be SUCCEEDED. */
    private static JsonNode succeeded(String job) throws Exception {
        JsonNode ended = jobs.ended(jobs.submit(job).path("jobId").asText());
        assertEquals("SUCCEEDED", ended.path("status").asText(), ended.toString());
        return ended;
    }
}
