package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The official E2B JS SDK from the npm registry (pinned in src/test/js/e2b-sdk/package-lock.json),
 * unmodified, runs its everyday calls against the local server: see compat.test.mjs.
 */
class E2bSdkCompatibilityTest {
    static final Path SDK_DIR = Path.of("src/test/js/e2b-sdk").toAbsolutePath();

    /** Installs the pinned SDK once per checkout (npm ci), so the test needs no prior setup. */
    static void installSdk() throws IOException, InterruptedException {
        if (Files.exists(SDK_DIR.resolve("node_modules/e2b/package.json"))) {
            return;
        }
        Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        assertEquals(0, install.exitCode(), "npm ci failed:\n" + install.output());
    }

    record Result(int exitCode, String output) {
    }

    static Result run(List<String> command, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("e2b-sdk-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(SDK_DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void theOfficialJsSdkWorksAgainstTheLocalServer() throws Exception {
        installSdk();
        try (LocalE2bServer server = LocalE2bServer.start(LocalE2bSettings.defaults())) {
            Result result = run(List.of("node", "--test", "--test-reporter=spec", "compat.test.mjs"), Map.of(
                    "E2B_API_KEY", WireClient.API_KEY,
                    "E2B_API_URL", server.url(),
                    "E2B_SANDBOX_URL", server.url()), 300);
            System.out.println(result.output());
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("pass 9"), "all nine SDK checks ran:\n" + result.output());
        }
    }
}
