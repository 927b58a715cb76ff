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

/** Sandboxes end at endAt with everything they started; pausing keeps files, and processes unless told not to. */
class SandboxLifecycleTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults());


    private static List<ProcessHandle> startSleepers(WireClient.Sandbox sandbox) throws Exception {
        return startSleepers(E2B, sandbox, "sleep 300 & sleep 300");
    }

    /** Starts a command that runs two sleepers and returns the sleepers as the host sees them. */
    static List<ProcessHandle> startSleepers(LocalE2bExtension e2b, WireClient.Sandbox sandbox, String command) throws Exception {
        HttpResponse<InputStream> response = e2b.wire().openStream(sandbox, "process.Process/Start", WireClient.startRequest(command).toString());
        try (InputStream in = response.body()) {
            WireClient.startedPid(in);
        }
        for (int i = 0; i < 50 && sleepers(e2b, sandbox).size() < 2; i++) {
            Thread.sleep(100);
        }
        List<ProcessHandle> sleepers = sleepers(e2b, sandbox);
        assertTrue(sleepers.size() >= 2, "both sleepers started");
        return sleepers;
    }

    static List<ProcessHandle> sleepers(LocalE2bExtension e2b, WireClient.Sandbox sandbox) {
        return e2b.server().sandboxProcesses(sandbox.id()).stream().filter(p -> p.info().command().orElse("").endsWith("sleep")).toList();
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
        for (int i = 0; i < 100 && Files.exists(root); i++) {
            Thread.sleep(50);
        }
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
        for (int i = 0; i < 20; i++) {
            HttpResponse<InputStream> response = E2B.wire().openStream(sandbox, "process.Process/Start",
                    WireClient.startRequest("sleep 300").toString());
            try (InputStream in = response.body()) {
                int pid = WireClient.startedPid(in);
                E2B.wire().unary(sandbox, "process.Process/SendSignal", "{\"process\":{\"pid\":" + pid + "},\"signal\":\"SIGNAL_SIGKILL\"}");
            }
        }
        List<ProcessHandle> left = sleepers(E2B, sandbox);
        awaitGone(left);
        left.forEach(p -> assertFalse(p.isAlive(), "left running: " + p.info().commandLine().orElse("?")));
        E2B.wire().api("DELETE", "/sandboxes/" + sandbox.id(), null);
    }

    /** A sandbox with a file in its home and two sleepers running. */
    private record Busy(WireClient.Sandbox sandbox, List<ProcessHandle> sleepers) {
        static Busy create() throws Exception {
            WireClient.Sandbox sandbox = E2B.wire().create();
            E2B.wire().run(sandbox, "echo kept > /home/user/state.txt");
            return new Busy(sandbox, startSleepers(sandbox));
        }

        int pause(String body) {
            return E2B.wire().api("POST", "/sandboxes/" + sandbox.id() + "/pause", body).statusCode();
        }

        int connect() {
            return E2B.wire().api("POST", "/v2/sandboxes/" + sandbox.id() + "/connect", "{\"timeout\":60}").statusCode();
        }

        String keptFile() {
            return WireClient.output(E2B.wire().run(sandbox, "cat /home/user/state.txt"), "stdout");
        }

        void kill() {
            E2B.wire().api("DELETE", "/sandboxes/" + sandbox.id(), null);
        }
    }

    @Test
    void pauseKeepsProcessesStoppedAndConnectContinuesThem() throws Exception {
        Busy busy = Busy.create();
        assertEquals(204, busy.pause("{}"));
        assertEquals(409, busy.pause("{}"));
        busy.sleepers().forEach(p -> assertEquals("T", state(p), "stopped while paused"));
        JsonNode detail = WireClient.json(E2B.wire().api("GET", "/sandboxes/" + busy.sandbox().id(), null).body());
        assertEquals("paused", detail.path("state").asText());
        assertEquals(502, E2B.wire().send(E2B.wire().envd(busy.sandbox(), "/health").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(1, WireClient.json(E2B.wire().api("GET", "/v2/sandboxes?state=paused", null).body()).size());

        assertEquals(201, busy.connect());
        assertEquals("kept\n", busy.keptFile());
        busy.sleepers().forEach(p -> assertEquals("S", state(p), "running again after connect"));
        busy.kill();
    }

    @Test
    void pauseWithoutMemoryKeepsOnlyTheFiles() throws Exception {
        Busy busy = Busy.create();
        assertEquals(204, busy.pause("{\"memory\":false}"));
        awaitGone(busy.sleepers());
        busy.sleepers().forEach(p -> assertFalse(p.isAlive()));
        assertEquals(201, busy.connect());
        assertEquals("kept\n", busy.keptFile());
        busy.kill();
    }

    /** The state letter of /proc/PID/stat: S sleeping, T stopped. */
    private static String state(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (java.io.IOException e) {
            return "gone";
        }
    }
}
