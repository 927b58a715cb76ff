package dev.e2bjobs.e2b;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.e2b.LocalE2bResource;
import dev.e2bjobs.local.e2b.RouteFamily;
import dev.e2bjobs.sandbox.FileEntry;
import dev.e2bjobs.sandbox.FileTail;
import dev.e2bjobs.sandbox.SandboxCommand;
import dev.e2bjobs.sandbox.SandboxFile;
import dev.e2bjobs.sandbox.SandboxNotFoundException;
import dev.e2bjobs.sandbox.SandboxRef;
import dev.e2bjobs.sandbox.SandboxUnauthorizedException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The envd client (files, filesystem and process RPC) against sandboxes of the local E2B server. */
@QuarkusTest
@WithTestResource(LocalE2bResource.class)
class EnvdClientTest {
    private static final String JOB = "/home/user/job";

    @Inject
    EnvdClient envd;

    @RestClient
    E2bApi api;

    @ConfigProperty(name = "quarkus.rest-client.e2b-api.url")
    String e2bUrl;

    private SandboxRef sandbox;

    @BeforeEach
    void createSandbox() {
        E2bApi.Sandbox created = api.create(new E2bApi.NewSandbox("base", 120, Map.of(), Map.of("FROM_SANDBOX", "yes"), false, null, false));
        sandbox = new SandboxRef(created.sandboxID(), created.envdAccessToken(), created.domain());
    }

    @AfterEach
    void killSandbox() {
        try {
            api.kill(sandbox.sandboxId());
        } catch (SandboxNotFoundException alreadyGone) {
            // the test killed it itself
        }
    }

    private static SandboxFile file(String path, String text) {
        return new SandboxFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    private String text(String path) {
        return new String(envd.download(sandbox, path).orElseThrow(), StandardCharsets.UTF_8);
    }

    @Test
    void manyFilesGoUpInOneRequestAndComeBackByteForByte() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        LocalE2bAdmin admin = new LocalE2bAdmin(e2bUrl);
        long before = admin.requests(RouteFamily.FILES);
        envd.upload(sandbox, List.of(
                file(JOB + "/main.py", "print('hi')\n"),
                new SandboxFile(JOB + "/data/every-byte.bin", everyByte),
                file(JOB + "/a \"quoted\" name\\.txt", "odd but legal")));
        assertEquals(1, admin.requests(RouteFamily.FILES) - before, "one multipart request");

        assertEquals("print('hi')\n", text(JOB + "/main.py"));
        assertArrayEquals(everyByte, envd.download(sandbox, JOB + "/data/every-byte.bin").orElseThrow());
        assertEquals("odd but legal", text(JOB + "/a \"quoted\" name\\.txt"));
        assertEquals(Optional.empty(), envd.download(sandbox, JOB + "/missing.txt"));
    }

    @Test
    void aTailIsTheLastBytesWithTheFullSize() {
        String log = "x".repeat(9_990) + "last line\n";
        envd.upload(sandbox, List.of(file(JOB + "/stdout", log), file(JOB + "/empty", "")));

        FileTail tail = envd.downloadTail(sandbox, JOB + "/stdout", 10).orElseThrow();
        assertEquals("last line\n", new String(tail.bytes(), StandardCharsets.UTF_8));
        assertEquals(10_000, tail.totalSize());
        assertTrue(tail.truncated());

        FileTail whole = envd.downloadTail(sandbox, JOB + "/stdout", 1_000_000).orElseThrow();
        assertEquals(log, new String(whole.bytes(), StandardCharsets.UTF_8));
        assertFalse(whole.truncated());

        FileTail empty = envd.downloadTail(sandbox, JOB + "/empty", 10).orElseThrow();
        assertEquals(0, empty.bytes().length);
        assertFalse(empty.truncated());
        assertEquals(Optional.empty(), envd.downloadTail(sandbox, JOB + "/missing", 10));
    }

    @Test
    void listStatAndRemoveSeeTheTree() {
        envd.upload(sandbox, List.of(file(JOB + "/results/metrics.json", "{}"), file(JOB + "/results/plots/a.txt", "a")));

        Set<String> shallow = envd.listDir(sandbox, JOB + "/results", 1).stream().map(FileEntry::path).collect(Collectors.toSet());
        assertEquals(Set.of(JOB + "/results/metrics.json", JOB + "/results/plots"), shallow);
        List<FileEntry> deep = envd.listDir(sandbox, JOB + "/results", 2);
        assertTrue(deep.contains(new FileEntry(JOB + "/results/plots/a.txt", "a.txt", FileEntry.Type.FILE, 1)), deep.toString());

        assertEquals(FileEntry.Type.DIRECTORY, envd.stat(sandbox, JOB + "/results/plots").orElseThrow().type());
        assertEquals(2, envd.stat(sandbox, JOB + "/results/metrics.json").orElseThrow().size());
        assertEquals(Optional.empty(), envd.stat(sandbox, JOB + "/nothing"));
        assertEquals(List.of(), envd.listDir(sandbox, JOB + "/nothing", 1));

        envd.remove(sandbox, JOB + "/results");
        envd.remove(sandbox, JOB + "/results");
        assertEquals(Optional.empty(), envd.stat(sandbox, JOB + "/results"));
    }

    @Test
    void aBackgroundProcessOutlivesItsStartCallAndItsExitCanBeCollected() {
        envd.upload(sandbox, List.of(file(JOB + "/keep", "")));
        long pid = envd.start(sandbox, new SandboxCommand("/bin/sh",
                List.of("-c", "sleep 1; printf '%s/%s' \"$1\" \"$FROM_SANDBOX\" > out.txt; exit 3", "sh", "$(echo not run)"),
                Map.of(), JOB, "runner"));

        List<EnvdClient.ProcessInfo> running = envd.processes(sandbox);
        assertTrue(running.stream().anyMatch(p -> p.pid() == pid && "runner".equals(p.tag())), running.toString());

        EnvdClient.ProcessStatus status = envd.connect(sandbox, pid, Duration.ofSeconds(20), 0).orElseThrow();
        assertTrue(status.exited());
        assertEquals(3, status.exitCode());
        assertEquals("$(echo not run)/yes", text(JOB + "/out.txt"), "arguments are data, and the sandbox's env reaches the process");
    }

    @Test
    void connectGivesWhatTheProcessPrintedWhileFollowedUpToTheBound() {
        String script = "sleep 0.5; printf 'printed as it ended'; echo ' to stderr' >&2";
        long whole = envd.start(sandbox, new SandboxCommand("/bin/sh", List.of("-c", script), Map.of(), null, null));
        EnvdClient.ProcessStatus followed = envd.connect(sandbox, whole, Duration.ofSeconds(20), 1024).orElseThrow();
        long cut = envd.start(sandbox, new SandboxCommand("/bin/sh", List.of("-c", script), Map.of(), null, null));
        EnvdClient.ProcessStatus bounded = envd.connect(sandbox, cut, Duration.ofSeconds(20), 7).orElseThrow();

        assertEquals("printed as it ended", new String(followed.stdout(), StandardCharsets.UTF_8), "stdout only");
        assertEquals("printed", new String(bounded.stdout(), StandardCharsets.UTF_8));
    }

    @Test
    void connectReportsARunningProcessAfterItsWaitAndSignalsKill() {
        long pid = envd.start(sandbox, new SandboxCommand("sleep", List.of("60"), Map.of(), null, null));

        EnvdClient.ProcessStatus waited = envd.connect(sandbox, pid, Duration.ofMillis(300), 0).orElseThrow();
        assertFalse(waited.exited());
        assertTrue(envd.processes(sandbox).stream().anyMatch(p -> p.pid() == pid), "following a process does not end it");

        assertTrue(envd.signal(sandbox, pid, EnvdClient.Signal.SIGKILL));
        EnvdClient.ProcessStatus killed = envd.connect(sandbox, pid, Duration.ofSeconds(10), 0).orElseThrow();
        assertTrue(killed.exited());
        assertEquals(-1, killed.exitCode());
        assertFalse(envd.signal(sandbox, pid, EnvdClient.Signal.SIGKILL), "no such process any more");
        assertEquals(Optional.empty(), envd.connect(sandbox, 999_999, Duration.ofSeconds(1), 0));
    }

    @Test
    void aWrongTokenIsUnauthorizedAndAGoneSandboxIsNotFound() {
        SandboxRef forged = new SandboxRef(sandbox.sandboxId(), "not-the-token", null);
        assertThrows(SandboxUnauthorizedException.class, () -> envd.processes(forged));

        api.kill(sandbox.sandboxId());
        assertThrows(SandboxNotFoundException.class, () -> envd.download(sandbox, JOB + "/main.py"));
        assertThrows(SandboxNotFoundException.class, () -> envd.processes(sandbox));
        assertThrows(SandboxNotFoundException.class, () -> envd.start(sandbox, new SandboxCommand("true", List.of(), Map.of(), null, null)));
    }
}
