package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.e2b.ConnectEnvelope;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a sandboxed process must not be able to do. These need bubblewrap (.ci/run installs it): with
 * isolation required, the server refuses to start without it rather than letting these pass vacuously.
 */
class IsolationTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults().withIsolation(Isolation.Mode.BWRAP));

    private static int exitCode(List<ConnectEnvelope> envelopes) {
        return WireClient.end(envelopes).path("exitCode").asInt(0);
    }

    @Test
    void aSandboxedProcessCannotReachALoopbackPortOnTheHost() throws Exception {
        try (ServerSocket host = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            host.setSoTimeout(300);
            List<ConnectEnvelope> envelopes = E2B.wire().run(E2B.sandbox(), "python3 -c \"import socket; s = socket.socket(); s.settimeout(3); "
                    + "s.connect(('127.0.0.1', " + host.getLocalPort() + ")); print('connected')\"");
            assertNotEquals(0, exitCode(envelopes));
            assertTrue(WireClient.output(envelopes, "stderr").contains("ConnectionRefusedError"), WireClient.output(envelopes, "stderr"));
            assertFalse(WireClient.output(envelopes, "stdout").contains("connected"));
            boolean accepted;
            try {
                host.accept().close();
                accepted = true;
            } catch (SocketTimeoutException e) {
                accepted = false;
            }
            assertFalse(accepted, "the host socket saw no connection");
        }
        List<ConnectEnvelope> api = E2B.wire().run(E2B.sandbox(), "python3 -c \"import urllib.request; urllib.request.urlopen('" + E2B.server().url() + "/health', timeout=3)\"");
        assertNotEquals(0, exitCode(api), "not even the E2B server that runs it");
    }

    @Test
    void aSandboxedProcessCannotWriteOutsideItsSandbox() throws Exception {
        WireClient.Sandbox neighbour = E2B.wire().create();
        E2B.wire().run(neighbour, "echo private > /home/user/secret.txt");
        Path neighbourRoot = E2B.server().sandboxRoot(neighbour.id());
        Path hostTmp = Files.createTempFile("e2bjobs-host-", ".txt");
        try {
            String script = String.join("; ",
                    "echo x > /etc/e2b-escape && echo wrote-etc",
                    "echo x > /usr/e2b-escape && echo wrote-usr",
                    "echo x > " + hostTmp,
                    "cat " + neighbourRoot + "/home/user/secret.txt && echo read-neighbour",
                    "ls /home/user",
                    "true");
            List<ConnectEnvelope> envelopes = E2B.wire().run(E2B.sandbox(), script);
            String stdout = WireClient.output(envelopes, "stdout");
            assertFalse(stdout.contains("wrote-") || stdout.contains("read-neighbour") || stdout.contains("private"), stdout);
            assertFalse(stdout.contains("secret.txt"), "each sandbox has its own home");
            assertFalse(Files.exists(Path.of("/etc/e2b-escape")));
            assertFalse(Files.exists(Path.of("/usr/e2b-escape")));
            assertEquals("", Files.readString(hostTmp), "the same path names the sandbox's own /tmp, not the host's");
            assertEquals("private\n", Files.readString(neighbourRoot.resolve("home/user/secret.txt")));
        } finally {
            Files.deleteIfExists(hostTmp);
        }
    }

    @Test
    void linksPlantedInTheSandboxDoNotLeadTheFileApiOutOfIt() throws Exception {
        E2B.wire().run(E2B.sandbox(), "ln -sf /etc/hostname /home/user/abs-link; ln -sf ../../../../../../../../etc/hostname /home/user/rel-link; "
                + "ln -sfn /etc /home/user/etc-dir");
        for (String link : List.of("/home/user/abs-link", "/home/user/rel-link", "/home/user/etc-dir/hostname")) {
            HttpResponse<String> read = E2B.wire().send(E2B.wire().envd(E2B.sandbox(), "/files?path=" + URLEncoder.encode(link, StandardCharsets.UTF_8))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, read.statusCode(), link + " must not reach the host's /etc/hostname: " + read.body());
        }
        HttpResponse<String> write = E2B.wire().send(E2B.wire().envd(E2B.sandbox(), "/files?path=" + URLEncoder.encode("/home/user/etc-dir/e2b-planted", StandardCharsets.UTF_8))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, write.statusCode(), "the write lands inside the sandbox tree");
        assertFalse(Files.exists(Path.of("/etc/e2b-planted")));
        assertTrue(Files.exists(E2B.server().sandboxRoot(E2B.sandbox().id()).resolve("etc/e2b-planted")));
    }

    @Test
    void sandboxProcessesHoldNoCapabilitiesAndAreNotRootOnTheHost() throws Exception {
        for (String user : List.of("user", "root")) {
            String basic = java.util.Base64.getEncoder().encodeToString((user + ":").getBytes(StandardCharsets.UTF_8));
            List<ConnectEnvelope> envelopes = E2B.wire().run(E2B.sandbox(), "grep CapEff /proc/self/status; whoami", "Authorization", "Basic " + basic);
            assertEquals("CapEff:\t0000000000000000\n" + user + "\n", WireClient.output(envelopes, "stdout"));
        }
        HttpResponse<InputStream> response = E2B.wire().openStream(E2B.sandbox(), "process.Process/Start", WireClient.startRequest("exec sleep 30").toString());
        try (InputStream in = response.body()) {
            int pid = WireClient.startedPid(in);
            for (int i = 0; i < 50 && SandboxLifecycleTest.sleepers(E2B, E2B.sandbox()).isEmpty(); i++) {
                Thread.sleep(100);
            }
            List<ProcessHandle> inSandbox = E2B.server().sandboxProcesses(E2B.sandbox().id());
            assertTrue(inSandbox.stream().anyMatch(p -> p.info().command().orElse("").endsWith("sleep")), "the sleeper started");
            for (ProcessHandle process : inSandbox) {
                String status = Files.readString(Path.of("/proc/" + process.pid() + "/status"));
                String uids = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
                assertFalse(uids.matches("Uid:\\s+0\\s.*"), "host uid of " + process.info().command().orElse("?") + ": " + uids);
                assertTrue(status.contains("CapEff:\t0000000000000000"), "capabilities of " + process.info().commandLine().orElse("?")
                        + ", which the sandbox's processes share a machine with");
            }
            E2B.wire().unary(E2B.sandbox(), "process.Process/SendSignal", "{\"process\":{\"pid\":" + pid + "},\"signal\":\"SIGNAL_SIGKILL\"}");
        }
    }

    @Test
    void fileSizeIsLimited() throws Exception {
        LocalE2bSettings small = LocalE2bSettings.parse("--isolation", "bwrap", "--file-size-mb", "1");
        try (LocalE2bServer limited = LocalE2bServer.start(small)) {
            WireClient client = new WireClient(limited);
            WireClient.Sandbox box = client.create();
            List<ConnectEnvelope> envelopes = client.run(box, "head -c 2000000 /dev/zero > /home/user/big; echo $?; stat -c %s /home/user/big");
            assertEquals("153\n1048576\n", WireClient.output(envelopes, "stdout"), "SIGXFSZ at 1 MiB");
        }
    }
}
