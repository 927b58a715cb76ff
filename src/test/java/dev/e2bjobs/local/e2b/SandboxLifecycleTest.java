package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Sandboxes end at endAt with everything they started; pausing stops processes and keeps files. */
class SandboxLifecycleTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults());


    private static List<ProcessHandle> startSleepers(WireClient.Sandbox sandbox) throws Exception {
        return startSleepers(E2B.wire(), sandbox, "sleep 300 & sleep 300");
    }

    /** Starts a command that runs two sleepers and returns its process and everything it spawned. */
    static List<ProcessHandle> startSleepers(WireClient wire, WireClient.Sandbox sandbox, String command) throws Exception {
        HttpResponse<InputStream> response = wire.openStream(sandbox, "process.Process/Start", WireClient.startRequest(command).toString());
        int pid;
        try (InputStream in = response.body()) {
            pid = WireClient.startedPid(in);
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

    static void awaitGone(List<ProcessHandle> processes) throws InterruptedException {
        for (int i = 0; i < 100 && processes.stream().anyMatch(ProcessHandle::isAlive); i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void atEndAtTheSandboxItsProcessesAndItsFilesAreGone() throws Exception {
        WireClient.Sandbox sandbox = E2B.wire().create("{\"templateID\":\"base\",\"timeout\":2}");
        Path root = E2B.server().sandboxRoot(sandbox.id());
        List<ProcessHandle> processes = startSleepers(sandbox);

        for (int i = 0; i < 100 && E2B.wire().api("GET", "/sandboxes/" + sandbox.id(), null).statusCode() == 200; i++) {
            Thread.sleep(50);
        }
        assertEquals(404, E2B.wire().api("GET", "/sandboxes/" + sandbox.id(), null).statusCode());
        HttpResponse<String> envd = E2B.wire().send(E2B.wire().envd(sandbox, "/health").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(502, envd.statusCode());
        assertEquals("The sandbox was not found", WireClient.json(envd.body()).path("message").asText());
        awaitGone(processes);
        processes.forEach(p -> assertFalse(p.isAlive(), "process " + p.pid() + " outlived its sandbox"));
        assertFalse(Files.exists(root));
    }

    @Test
    void killStopsEveryProcess() throws Exception {
        WireClient.Sandbox sandbox = E2B.wire().create();
        List<ProcessHandle> processes = startSleepers(sandbox);
        assertEquals(204, E2B.wire().api("DELETE", "/sandboxes/" + sandbox.id(), null).statusCode());
        awaitGone(processes);
        processes.forEach(p -> assertFalse(p.isAlive(), "process " + p.pid() + " outlived its sandbox"));
    }

    @Test
    void killingProcessesTheMomentTheyStartLeavesNothingBehind() throws Exception {
        WireClient.Sandbox sandbox = E2B.wire().create();
        String root = E2B.server().sandboxRoot(sandbox.id()).toString();
        for (int i = 0; i < 20; i++) {
            HttpResponse<InputStream> response = E2B.wire().openStream(sandbox, "process.Process/Start",
                    WireClient.startRequest("sleep 300").toString());
            try (InputStream in = response.body()) {
                int pid = WireClient.startedPid(in);
                E2B.wire().unary(sandbox, "process.Process/SendSignal", "{\"process\":{\"pid\":" + pid + "},\"signal\":\"SIGNAL_SIGKILL\"}");
            }
        }
        List<ProcessHandle> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(line -> line.contains(root)).orElse(false)).toList();
        awaitGone(left);
        left.forEach(p -> assertFalse(p.isAlive(), "left running: " + p.info().commandLine().orElse("?")));
        E2B.wire().api("DELETE", "/sandboxes/" + sandbox.id(), null);
    }

    @Test
    void pauseStopsProcessesKeepsFilesAndConnectResumes() throws Exception {
        WireClient.Sandbox sandbox = E2B.wire().create();
        E2B.wire().run(sandbox, "echo kept > /home/user/state.txt");
        List<ProcessHandle> processes = startSleepers(sandbox);

        assertEquals(204, E2B.wire().api("POST", "/sandboxes/" + sandbox.id() + "/pause", "{\"memory\":true}").statusCode());
        assertEquals(409, E2B.wire().api("POST", "/sandboxes/" + sandbox.id() + "/pause", "{}").statusCode());
        awaitGone(processes);
        processes.forEach(p -> assertFalse(p.isAlive()));
        JsonNode detail = WireClient.json(E2B.wire().api("GET", "/sandboxes/" + sandbox.id(), null).body());
        assertEquals("paused", detail.path("state").asText());
        assertEquals(502, E2B.wire().send(E2B.wire().envd(sandbox, "/health").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(1, WireClient.json(E2B.wire().api("GET", "/v2/sandboxes?state=paused", null).body()).size());

        HttpResponse<String> resumed = E2B.wire().api("POST", "/v2/sandboxes/" + sandbox.id() + "/connect", "{\"timeout\":60}");
        assertEquals(201, resumed.statusCode());
        assertEquals("kept\n", WireClient.output(E2B.wire().run(sandbox, "cat /home/user/state.txt"), "stdout"));
        E2B.wire().api("DELETE", "/sandboxes/" + sandbox.id(), null);
    }
}
