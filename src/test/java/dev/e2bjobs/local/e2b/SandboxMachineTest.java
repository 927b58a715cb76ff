package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.e2bjobs.e2b.ConnectEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A sandbox is one machine: its processes share a network, a process table and root, as on E2B. */
class SandboxMachineTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults().withIsolation(Isolation.Mode.BWRAP));

    private static final String AWAIT_PORT = "python3 -c \"import socket,time\nfor _ in range(100):\n"
            + "  try: socket.create_connection(('127.0.0.1', %d)).close(); break\n  except OSError: time.sleep(0.05)\"";

    /** A command's stdout; a command that could not start fails the test with envd's error. */
    private static String run(WireClient.Sandbox sandbox, String command) {
        List<ConnectEnvelope> envelopes = E2B.wire().run(sandbox, command);
        JsonNode trailer = WireClient.json(envelopes.get(envelopes.size() - 1).text());
        assertFalse(trailer.has("error"), command + ": " + trailer);
        return WireClient.output(envelopes, "stdout");
    }

    private static void serveHttp(WireClient.Sandbox sandbox, int port) {
        E2B.wire().startInBackground(sandbox, "mkdir -p /tmp/www && echo served > /tmp/www/index.txt && cd /tmp/www && exec python3 -m http.server " + port);
        run(sandbox, AWAIT_PORT.formatted(port));
    }

    private static HttpResponse<String> throughPort(WireClient.Sandbox sandbox, int port, String path) {
        return E2B.wire().send(HttpRequest.newBuilder(URI.create(E2B.server().url() + path))
                .header("E2b-Sandbox-Id", sandbox.id()).header("E2b-Sandbox-Port", String.valueOf(port)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aServerStartedByOneCommandIsReachedByTheNextAndThroughItsPort() {
        WireClient.Sandbox sandbox = E2B.wire().create();
        serveHttp(sandbox, 8000);

        assertEquals("served\n", run(sandbox, "python3 -c \"import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:8000/index.txt').read().decode(), end='')\""));
        HttpResponse<String> forwarded = throughPort(sandbox, 8000, "/index.txt");
        assertEquals(200, forwarded.statusCode());
        assertEquals("served\n", forwarded.body());
        assertEquals(404, throughPort(sandbox, 8000, "/missing").statusCode(), "the sandbox's server answers, not the proxy");
    }

    @Test
    void aPortNothingListensOnIsE2bs502() {
        WireClient.Sandbox sandbox = E2B.wire().create();
        HttpResponse<String> closed = throughPort(sandbox, 8001, "/");
        assertEquals(502, closed.statusCode());
        JsonNode body = WireClient.json(closed.body());
        assertEquals("The sandbox is running but port is not open", body.path("message").asText());
        assertEquals(8001, body.path("port").asInt());
        assertEquals(sandbox.id(), body.path("sandboxId").asText());
    }

    @Test
    void psSeesAProcessAnotherCommandStartedAndKillEndsIt() {
        WireClient.Sandbox sandbox = E2B.wire().create();
        int pid = E2B.wire().startInBackground(sandbox, "exec sleep 300");

        assertTrue(run(sandbox, "ps -eo pid=,args=").lines().anyMatch(line -> line.trim().equals(pid + " sleep 300")),
                "the sleeper is in the sandbox's process table under the pid envd reported");
        run(sandbox, "kill " + pid);
        List<ConnectEnvelope> connected = E2B.wire().stream(sandbox, "process.Process/Connect", "{\"process\":{\"pid\":" + pid + "}}");
        assertEquals(143, WireClient.end(connected).path("exitCode").asInt(), "ended by the SIGTERM of kill(1)");
    }

    @Test
    void sudoRunsTheCommandAsRootWithTheCallersOutputAndExitCode() {
        WireClient.Sandbox sandbox = E2B.wire().create();
        assertEquals("user\nroot\n0\n", run(sandbox, "whoami; sudo whoami; sudo -u root id -u"));
        List<ConnectEnvelope> failing = E2B.wire().run(sandbox, "sudo sh -c 'echo to-stderr >&2; exit 3'");
        assertEquals(3, WireClient.end(failing).path("exitCode").asInt());
        assertEquals("to-stderr\n", WireClient.output(failing, "stderr"));
        assertEquals("root-owned\n", run(sandbox, "sudo sh -c 'echo root-owned > /root/secret' && sudo cat /root/secret"));
    }

    @Test
    void anotherSandboxReachesNeitherTheServerNorTheProcessesOfThisOne() {
        WireClient.Sandbox serving = E2B.wire().create();
        WireClient.Sandbox other = E2B.wire().create();
        serveHttp(serving, 8002);
        int sleeper = E2B.wire().startInBackground(serving, "exec sleep 300");

        List<ConnectEnvelope> reach = E2B.wire().run(other, "python3 -c \"import socket;socket.create_connection(('127.0.0.1', 8002))\"");
        assertTrue(WireClient.output(reach, "stderr").contains("ConnectionRefusedError"), WireClient.output(reach, "stderr"));
        assertFalse(run(other, "ps -eo args=").contains("sleep 300"));
        assertEquals(502, throughPort(other, 8002, "/").statusCode(), "the other sandbox's port is its own");
        assertTrue(run(serving, "ps -eo pid=").lines().anyMatch(line -> line.trim().equals(String.valueOf(sleeper))));
    }

    @Test
    void killingTheSandboxDropsARunningCommandsStream() throws Exception {
        WireClient.Sandbox sandbox = E2B.wire().create();
        HttpResponse<InputStream> response = E2B.wire().openStream(sandbox, "process.Process/Start", WireClient.startRequest("sleep 300").toString());
        try (InputStream in = response.body()) {
            WireClient.startedPid(in);
            assertEquals(204, E2B.wire().api("DELETE", "/sandboxes/" + sandbox.id(), null).statusCode());
            IOException dropped = assertThrows(IOException.class, () -> {
                for (ConnectEnvelope envelope = ConnectEnvelope.read(in); envelope != null; envelope = ConnectEnvelope.read(in)) {
                    assertFalse(envelope.isEndStream(), "no end-stream envelope: the connection is dropped, not ended");
                }
            });
            assertTrue(dropped.getMessage() != null, "the stream broke off");
        }
    }

    @Test
    void aForkStartsWithTheFilesAndThenGoesItsOwnWay() {
        WireClient.Sandbox source = E2B.wire().create();
        run(source, "echo before > /home/user/shared.txt");
        HttpResponse<String> forked = E2B.wire().api("POST", "/sandboxes/" + source.id() + "/fork", "{\"count\":2,\"timeout\":60}");
        assertEquals(201, forked.statusCode(), forked.body());
        JsonNode results = WireClient.json(forked.body());
        assertEquals(2, results.size());
        WireClient.Sandbox fork = new WireClient.Sandbox(results.get(0).path("sandbox").path("sandboxID").asText(),
                results.get(0).path("sandbox").path("envdAccessToken").asText());

        assertEquals("before\n", run(fork, "cat /home/user/shared.txt"));
        run(fork, "echo fork > /home/user/shared.txt");
        run(source, "echo source > /home/user/shared.txt");
        assertEquals("fork\n", run(fork, "cat /home/user/shared.txt"));
        assertEquals("source\n", run(source, "cat /home/user/shared.txt"));
        assertEquals(400, E2B.wire().api("POST", "/sandboxes/" + source.id() + "/fork", "{\"count\":101}").statusCode());
    }

    @Test
    void metricsMeasureTheSandboxsProcessesAndFiles() throws Exception {
        WireClient.Sandbox busy = E2B.wire().create();
        WireClient.Sandbox idle = E2B.wire().create();
        E2B.wire().startInBackground(busy, "python3 -c \"data = b'x' * (64 * 1024 * 1024)\nwhile True: pass\"");
        run(busy, "head -c 1000000 /dev/zero > /home/user/megabyte");
        Thread.sleep(500);

        JsonNode metric = WireClient.json(E2B.wire().api("GET", "/sandboxes/" + busy.id() + "/metrics", null).body()).get(0);
        assertTrue(metric.path("memUsed").asLong() > 64L * 1024 * 1024, "the 64 MiB the program holds: " + metric);
        assertTrue(metric.path("cpuUsedPct").asDouble() > 10, "a spinning program: " + metric);
        assertTrue(metric.path("diskUsed").asLong() >= 1_000_000, metric.toString());
        assertEquals(2, metric.path("cpuCount").asInt());

        JsonNode many = WireClient.json(E2B.wire().api("GET", "/sandboxes/metrics?sandbox_ids=" + busy.id() + "," + idle.id() + ",nope", null).body());
        assertEquals(2, many.path("sandboxes").size());
        assertTrue(many.path("sandboxes").path(idle.id()).path("memUsed").asLong() < metric.path("memUsed").asLong());
    }

    @Test
    void endpointsTheLocalServerLacksAre501NotUnknownPaths() {
        WireClient.Sandbox sandbox = E2B.wire().create();
        for (String path : List.of("/sandboxes/" + sandbox.id() + "/logs", "/v2/sandboxes/" + sandbox.id() + "/logs", "/templates")) {
            assertEquals(501, E2B.wire().api("GET", path, null).statusCode(), path);
        }
        assertEquals(404, E2B.wire().api("GET", "/no-such-thing", null).statusCode());
    }
}
