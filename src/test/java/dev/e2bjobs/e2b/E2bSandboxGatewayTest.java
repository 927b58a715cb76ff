package dev.e2bjobs.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.e2b.LocalE2bResource;
import dev.e2bjobs.local.e2b.RouteFamily;
import dev.e2bjobs.sandbox.Egress;
import dev.e2bjobs.sandbox.FileEntry;
import dev.e2bjobs.sandbox.FileTail;
import dev.e2bjobs.sandbox.SandboxCommand;
import dev.e2bjobs.sandbox.SandboxFile;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxInfo;
import dev.e2bjobs.sandbox.SandboxNotFoundException;
import dev.e2bjobs.sandbox.SandboxRef;
import dev.e2bjobs.sandbox.SandboxRequestInvalidException;
import dev.e2bjobs.sandbox.SandboxSpec;
import dev.e2bjobs.sandbox.SandboxUnavailableException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway as the job domain uses it: a whole job's worth of calls, with and without injected
 * faults from the local E2B server.
 */
@QuarkusTest
@WithTestResource(LocalE2bResource.class)
class E2bSandboxGatewayTest {
    private static final String JOB = "/home/user/job";
    /** Writes a result file, output and, last, its exit code, like the job runner does. */
    private static final String PROGRAM = """
            mkdir -p results
            printf '{"combined_score": 2.5}' > results/metrics.json
            echo "hello from the job" > stdout
            echo 0 > exit_code.tmp && mv exit_code.tmp exit_code
            """;

    @Inject
    SandboxGateway gateway;

    @Inject
    CircuitBreakerMaintenance breakers;

    @ConfigProperty(name = "quarkus.rest-client.e2b-api.url")
    String e2bUrl;

    private LocalE2bAdmin admin;
    private final List<String> jobIds = new ArrayList<>();

    @BeforeEach
    void healthyE2b() {
        admin = new LocalE2bAdmin(e2bUrl);
        admin.clear();
        breakers.resetAll();
    }

    @AfterEach
    void noSandboxOutlivesItsTest() {
        admin.clear();
        breakers.resetAll();
        for (String jobId : jobIds) {
            gateway.listOwned(Map.of(SandboxSpec.JOB_ID_KEY, jobId)).forEach(s -> gateway.kill(s.sandboxId()));
        }
    }

    private SandboxSpec spec(Duration timeout) {
        String jobId = "job-" + UUID.randomUUID();
        jobIds.add(jobId);
        return new SandboxSpec(jobId, "base", timeout, Map.of("LANG", "C.UTF-8"), Map.of("e2bjobs.deployment", "test"), Egress.NONE);
    }

    private List<String> sandboxesOf(String jobId) {
        return gateway.listOwned(Map.of(SandboxSpec.JOB_ID_KEY, jobId)).stream().map(SandboxInfo::sandboxId).toList();
    }

    /** create → upload → start → read → kill, returning the metrics the program wrote. */
    private String runJob(SandboxSpec spec) throws InterruptedException {
        SandboxRef sandbox = gateway.create(spec);
        assertEquals(List.of(sandbox.sandboxId()), sandboxesOf(spec.jobId()), "exactly one sandbox per job");

        gateway.upload(sandbox, List.of(new SandboxFile(JOB + "/run.sh", PROGRAM.getBytes(StandardCharsets.UTF_8))));
        gateway.startBackground(sandbox, new SandboxCommand("/bin/sh", List.of("run.sh"), Map.of(), JOB, "runner"));

        Optional<byte[]> exitCode = Optional.empty();
        for (int poll = 0; poll < 200 && exitCode.isEmpty(); poll++) {
            Thread.sleep(50);
            exitCode = gateway.readFile(sandbox, JOB + "/exit_code");
        }
        assertEquals("0\n", new String(exitCode.orElseThrow(), StandardCharsets.UTF_8));
        assertEquals(List.of(JOB + "/results/metrics.json"),
                gateway.listFiles(sandbox, JOB + "/results").stream().map(FileEntry::path).toList());
        FileTail stdout = gateway.readFileTail(sandbox, JOB + "/stdout", 6).orElseThrow();
        assertEquals("e job\n", new String(stdout.bytes(), StandardCharsets.UTF_8));
        assertTrue(stdout.truncated());
        String metrics = new String(gateway.readFile(sandbox, JOB + "/results/metrics.json").orElseThrow(), StandardCharsets.UTF_8);

        assertTrue(gateway.kill(sandbox.sandboxId()));
        assertFalse(gateway.kill(sandbox.sandboxId()), "a second kill finds nothing");
        assertEquals(List.of(), sandboxesOf(spec.jobId()));
        return metrics;
    }

    @Test
    void aJobRunsFromCreateToKill() throws Exception {
        assertEquals("{\"combined_score\": 2.5}", runJob(spec(Duration.ofMinutes(2))));
    }

    @Test
    void aJobRunsThroughThirtyPercentFailuresAndAddedLatency() throws Exception {
        for (RouteFamily family : RouteFamily.values()) {
            admin.fail(family, 0.3, List.of(429, 503), 30);
        }
        long before = admin.requests(RouteFamily.CONTROL) + admin.requests(RouteFamily.FILES) + admin.requests(RouteFamily.RPC);
        assertEquals("{\"combined_score\": 2.5}", runJob(spec(Duration.ofMinutes(2))));
        long after = admin.requests(RouteFamily.CONTROL) + admin.requests(RouteFamily.FILES) + admin.requests(RouteFamily.RPC);
        assertTrue(after - before > 10, "the job needed " + (after - before) + " requests");
    }

    @Test
    void aCreateWhoseAnswerWasLostLeavesNoSecondSandbox() {
        SandboxSpec spec = spec(Duration.ofMinutes(2));
        admin.loseAnswers(RouteFamily.CONTROL, 503, 1);

        SandboxRef sandbox = gateway.create(spec);

        assertEquals(List.of(sandbox.sandboxId()), sandboxesOf(spec.jobId()),
                "the sandbox of the lost answer was found by its job id and killed");
    }

    @Test
    void aStartWhoseAnswerWasLostStartsOneProcess() throws Exception {
        SandboxSpec spec = spec(Duration.ofMinutes(2));
        SandboxRef sandbox = gateway.create(spec);
        gateway.upload(sandbox, List.of(new SandboxFile(JOB + "/count.sh",
                "echo started >> starts; sleep 4".getBytes(StandardCharsets.UTF_8))));
        admin.loseAnswers(RouteFamily.RPC, 503, 1);

        long pid = gateway.startBackground(sandbox, new SandboxCommand("/bin/sh", List.of("count.sh"), Map.of(), JOB, "runner"));

        // still running while the retry looks for it, so a second start would have begun before this one ends
        assertTrue(gateway.awaitExit(sandbox, pid, Duration.ofSeconds(20), 0).exited());
        assertEquals("started\n", new String(gateway.readFile(sandbox, JOB + "/starts").orElseThrow(), StandardCharsets.UTF_8));
    }

    @Test
    void anEgressChangeReplacesTheSandboxsRulesOnE2b() throws Exception {
        SandboxSpec indexOnly = new SandboxSpec(spec(Duration.ofMinutes(2)).jobId(), "base", Duration.ofMinutes(2), Map.of(),
                Map.of("e2bjobs.deployment", "test"), Egress.only(List.of("pypi.org", "files.pythonhosted.org")));
        SandboxRef sandbox = gateway.create(indexOnly);
        assertEquals("null {\"allowOut\":[\"pypi.org\",\"files.pythonhosted.org\"],\"denyOut\":[\"0.0.0.0/0\"]}", network(sandbox));

        gateway.setEgress(sandbox, Egress.NONE);
        assertEquals("false {\"allowOut\":[],\"denyOut\":[]}", network(sandbox), "the allow-list is gone");

        gateway.setEgress(sandbox, Egress.ANYWHERE);
        assertEquals("true {\"allowOut\":[],\"denyOut\":[]}", network(sandbox));
    }

    /** allowInternetAccess and network as E2B reports them for the sandbox. */
    private String network(SandboxRef sandbox) throws Exception {
        HttpResponse<String> detail = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(e2bUrl + "/sandboxes/" + sandbox.sandboxId()))
                .header("X-API-Key", LocalE2bResource.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = new ObjectMapper().readTree(detail.body());
        return json.path("allowInternetAccess") + " " + json.path("network");
    }

    @Test
    void aSnapshotStartsNewSandboxesWithItsFilesUntilItIsDeleted() throws Exception {
        SandboxRef source = gateway.create(spec(Duration.ofMinutes(2)));
        gateway.upload(source, List.of(new SandboxFile(JOB + "/ready.txt", "installed".getBytes(StandardCharsets.UTF_8))));
        String name = "env-" + UUID.randomUUID().toString().substring(0, 8);
        String snapshot = gateway.snapshot(source, name);
        gateway.kill(source.sandboxId());

        SandboxSpec fromSnapshot = spec(Duration.ofMinutes(2));
        SandboxRef started = gateway.create(new SandboxSpec(fromSnapshot.jobId(), snapshot, fromSnapshot.timeout(), fromSnapshot.envVars(),
                fromSnapshot.metadata(), fromSnapshot.egress()));
        assertEquals("installed", new String(gateway.readFile(started, JOB + "/ready.txt").orElseThrow(), StandardCharsets.UTF_8));

        assertTrue(gateway.deleteSnapshot(name));
        assertFalse(gateway.deleteSnapshot(name), "a second delete finds nothing");
        assertThrows(SandboxNotFoundException.class, () -> gateway.create(new SandboxSpec(fromSnapshot.jobId(), snapshot,
                fromSnapshot.timeout(), fromSnapshot.envVars(), fromSnapshot.metadata(), fromSnapshot.egress())));
    }

    @Test
    void aBadRequestIsNotRetried() {
        long before = admin.requests(RouteFamily.CONTROL);
        assertThrows(SandboxRequestInvalidException.class, () -> gateway.create(spec(Duration.ofDays(400))));
        assertEquals(1, admin.requests(RouteFamily.CONTROL) - before, "one attempt, and nothing to clean up after a 400");
    }

    @Test
    void aDeadE2bOpensTheCircuitAndCallsFailFast() {
        admin.fail(RouteFamily.CONTROL, 1.0, List.of(503), 0);

        int calls = 0;
        SandboxUnavailableException failure;
        do {
            failure = assertThrows(SandboxUnavailableException.class, () -> gateway.kill("idoesnotmatter"));
            calls++;
        } while (!(failure.getCause() instanceof CircuitBreakerOpenException) && calls < 5);
        assertInstanceOf(CircuitBreakerOpenException.class, failure.getCause(), "open after " + calls + " calls");
        assertEquals(CircuitBreakerState.OPEN, breakers.currentState("e2b-kill"));

        long before = admin.requests(RouteFamily.CONTROL);
        SandboxUnavailableException fast = assertThrows(SandboxUnavailableException.class, () -> gateway.kill("idoesnotmatter"));
        assertInstanceOf(CircuitBreakerOpenException.class, fast.getCause());
        assertEquals(before, admin.requests(RouteFamily.CONTROL), "an open circuit does not call E2B at all");
    }
}
