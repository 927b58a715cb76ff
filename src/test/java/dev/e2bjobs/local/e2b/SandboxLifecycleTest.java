package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.e2bjobs.e2b.ConnectEnvelope;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sandboxes end at endAt with everything they started; pausing stops processes and keeps files. */
class SandboxLifecycleTest {
    static LocalE2bServer server;
    static WireClient wire;

    @BeforeAll
    static void start() throws Exception {
        server = LocalE2bServer.start(LocalE2bSettings.defaults());
        wire = new WireClient(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Starts a long-running command and returns its pid and the host pids of everything it spawned. */
    private static List<ProcessHandle> startSleepers(WireClient.Sandbox sandbox) throws Exception {
        HttpResponse<InputStream> response = wire.openStream(sandbox, "process.Process/Start",
                WireClient.startRequest("sleep 300 & sleep 300").toString());
        int pid;
        try (InputStream in = response.body()) {
            pid = WireClient.json(ConnectEnvelope.read(in).text()).path("event").path("start").path("pid").asInt();
        }
        ProcessHandle root = ProcessHandle.of(pid).orElseThrow();
        for (int i = 0; i < 50 && root.descendants().filter(p -> p.info().command().orElse("").endsWith("sleep")).count() < 2; i++) {
            Thread.sleep(100);
        }
        List<ProcessHandle> tree = new java.util.ArrayList<>(root.descendants().toList());
        tree.add(root);
        assertTrue(tree.stream().filter(p -> p.info().command().orElse("").endsWith("sleep")).count() >= 2, "both sleepers started");
        return tree;
    }

    private static void awaitGone(List<ProcessHandle> processes) throws InterruptedException {
        for (int i = 0; i < 100 && processes.stream().anyMatch(ProcessHandle::isAlive); i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void atEndAtTheSandboxItsProcessesAndItsFilesAreGone() throws Exception {
        WireClient.Sandbox sandbox = wire.create("{\"templateID\":\"base\",\"timeout\":2}");
        Path root = server.sandboxRoot(sandbox.id());
        List<ProcessHandle> processes = startSleepers(sandbox);

        for (int i = 0; i < 100 && wire.api("GET", "/sandboxes/" + sandbox.id(), null).statusCode() == 200; i++) {
            Thread.sleep(50);
        }
        assertEquals(404, wire.api("GET", "/sandboxes/" + sandbox.id(), null).statusCode());
        HttpResponse<String> envd = wire.send(wire.envd(sandbox, "/health").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(502, envd.statusCode());
        assertEquals("The sandbox was not found", WireClient.json(envd.body()).path("message").asText());
        awaitGone(processes);
        processes.forEach(p -> assertFalse(p.isAlive(), "process " + p.pid() + " outlived its sandbox"));
        assertFalse(Files.exists(root));
    }

    @Test
    void killStopsEveryProcess() throws Exception {
        WireClient.Sandbox sandbox = wire.create();
        List<ProcessHandle> processes = startSleepers(sandbox);
        assertEquals(204, wire.api("DELETE", "/sandboxes/" + sandbox.id(), null).statusCode());
        awaitGone(processes);
        processes.forEach(p -> assertFalse(p.isAlive(), "process " + p.pid() + " outlived its sandbox"));
    }

    @Test
    void pauseStopsProcessesKeepsFilesAndConnectResumes() throws Exception {
        WireClient.Sandbox sandbox = wire.create();
        wire.run(sandbox, "echo kept > /home/user/state.txt");
        List<ProcessHandle> processes = startSleepers(sandbox);

        assertEquals(204, wire.api("POST", "/sandboxes/" + sandbox.id() + "/pause", "{\"memory\":true}").statusCode());
        assertEquals(409, wire.api("POST", "/sandboxes/" + sandbox.id() + "/pause", "{}").statusCode());
        awaitGone(processes);
        processes.forEach(p -> assertFalse(p.isAlive()));
        JsonNode detail = WireClient.json(wire.api("GET", "/sandboxes/" + sandbox.id(), null).body());
        assertEquals("paused", detail.path("state").asText());
        assertEquals(502, wire.send(wire.envd(sandbox, "/health").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(1, WireClient.json(wire.api("GET", "/v2/sandboxes?state=paused", null).body()).size());

        HttpResponse<String> resumed = wire.api("POST", "/v2/sandboxes/" + sandbox.id() + "/connect", "{\"timeout\":60}");
        assertEquals(201, resumed.statusCode());
        assertEquals("kept\n", WireClient.output(wire.run(sandbox, "cat /home/user/state.txt"), "stdout"));
        wire.api("DELETE", "/sandboxes/" + sandbox.id(), null);
    }
}
