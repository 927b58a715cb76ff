package dev.e2bjobs.local.e2b;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The official E2B JS SDK from the npm registry, pinned in src/test/js/e2b-sdk/package-lock.json, and scripts run with it there. */
public final class OfficialSdk {
    public static final Path DIR = Path.of("src/test/js/e2b-sdk").toAbsolutePath();

    /** A script's exit code and everything it printed. */
    public record Result(int exitCode, String output) {
    }

    private OfficialSdk() {
    }

    /** Installs the pinned SDK once per checkout (npm ci), so nothing needs setting up first. */
    public static void install() throws IOException, InterruptedException {
        if (Files.exists(DIR.resolve("node_modules/e2b/package.json"))) {
            return;
        }
        Result install = run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300);
        if (install.exitCode() != 0) {
            throw new IllegalStateException("npm ci failed:\n" + install.output());
        }
    }

    /** Runs {@code command} in the SDK's directory with {@code env} added; killed after {@code timeoutSeconds}. */
    public static Result run(List<String> command, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("e2b-sdk-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(DIR.toFile())
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
}
