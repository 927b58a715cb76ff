package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Without bubblewrap, processes still see the paths the file API serves (/home/user, /root, /tmp).
 * Forced with --isolation none, so these run the plain path on machines that have bubblewrap too.
 */
class PlainModeTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults().withIsolation(Isolation.Mode.NONE));

    @BeforeAll
    static void theServerRunsWithoutIsolation() {
        assertFalse(E2B.server().isolated());
    }

    private static void upload(WireClient.Sandbox box, String path, String content) {
        E2B.wire().upload(box, path, content.getBytes(StandardCharsets.UTF_8));
    }

    private static String download(String path) {
        return E2B.wire().download(E2B.sandbox(), path);
    }

    private static String stdout(String command, String... headers) {
        return WireClient.output(E2B.wire().run(E2B.sandbox(), command, headers), "stdout");
    }

    @Test
    void aProcessReadsAFileUploadedThroughTheFileApi() {
        upload(E2B.sandbox(), "/home/user/job/x.txt", "uploaded\n");
        assertEquals("uploaded\n", stdout("cat /home/user/job/x.txt"));
    }

    @Test
    void aProcessRunsInTheCwdItAskedFor() {
        upload(E2B.sandbox(), "/home/user/job/here.txt", "here\n");
        ObjectNode request = WireClient.startRequest("pwd; cat here.txt");
        ((ObjectNode) request.path("process")).put("cwd", "/home/user/job");
        assertEquals("/home/user/job\nhere\n", WireClient.output(E2B.wire().stream(E2B.sandbox(), "process.Process/Start", request.toString()), "stdout"));
    }

    @Test
    void theFileApiReadsWhatAProcessWrote() {
        stdout("echo home > /home/user/out.txt; echo tmp > /tmp/out.txt; echo root > /root/out.txt");
        assertEquals("home\n", download("/home/user/out.txt"));
        assertEquals("tmp\n", download("/tmp/out.txt"));
        assertEquals("root\n", download("/root/out.txt"));
    }

    @Test
    void homeIsTheUsersAndPythonWorksForBothUsers() {
        assertEquals("/home/user\n1\n", stdout("echo $HOME; python -c 'print(1)'"));
        String root = "Basic " + Base64.getEncoder().encodeToString("root:".getBytes(StandardCharsets.UTF_8));
        assertEquals("/root\n1\n", stdout("echo $HOME; python -c 'print(1)'", "Authorization", root));
    }

    @Test
    void killingTheSandboxKillsTheRunnerItsClientUploaded() throws Exception {
        WireClient.Sandbox box = E2B.wire().create();
        upload(box, "/home/user/.e2bjobs/runner.sh", "sleep 300 & sleep 300\n");
        List<ProcessHandle> processes = SandboxLifecycleTest.startSleepers(E2B, box, "bash /home/user/.e2bjobs/runner.sh");
        assertEquals(204, E2B.wire().api("DELETE", "/sandboxes/" + box.id(), null).statusCode());
        SandboxLifecycleTest.awaitGone(processes);
        processes.forEach(p -> assertFalse(p.isAlive(), "process " + p.pid() + " outlived its sandbox"));
    }
}
