package dev.e2bjobs.job;

import dev.e2bjobs.sandbox.SandboxCommand;
import dev.e2bjobs.sandbox.SandboxFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The in-sandbox runner ({@code runner.sh}) and where a job lives inside its sandbox: the user's
 * files in {@value #WORKDIR}, the runner, its inputs and outputs in {@value #META}.
 */
public final class Runner {
    public static final String WORKDIR = "/home/user/job";
    public static final String META = "/home/user/.e2bjobs";
    public static final String EXIT_CODE = META + "/exit_code";
    public static final String STDOUT = META + "/stdout";
    public static final String STDERR = META + "/stderr";
    public static final String INSTALL_LOG = META + "/install.log";
    /** The runner's outcome in one archive (see runner.sh and {@link PackedOutcome}), written just before the exit code. */
    public static final String OUTCOME = META + "/outcome.tar";
    /** Where a queued job's files wait in the artifact store when they are too large to keep inline. */
    public static final String BUNDLE = ".e2bjobs/files.bundle";
    /** envd process tag: a retried start finds the runner by it. */
    public static final String TAG = "e2bjobs-runner";
    /** The phase a runner started with {@code stopAfterInstall} ends in after a good install. */
    public static final String INSTALLED = "installed";
    private static final byte[] SCRIPT = load();
    private static final String PRINTED_OUTCOME = "e2bjobs-outcome ";

    private Runner() {
    }

    /** Everything to upload: the user's files under WORKDIR, the runner and requirements under META. */
    public static List<SandboxFile> files(JobSpec spec) {
        List<SandboxFile> files = new ArrayList<>();
        spec.files().forEach(file -> files.add(new SandboxFile(WORKDIR + "/" + file.path(), file.content())));
        files.add(new SandboxFile(META + "/runner.sh", SCRIPT));
        files.add(new SandboxFile(META + "/results.paths", (String.join("\n", spec.resultPaths()) + "\n").getBytes(StandardCharsets.UTF_8)));
        if (!spec.dependencies().isEmpty()) {
            String requirements = String.join("\n", spec.dependencies()) + "\n";
            files.add(new SandboxFile(META + "/requirements.txt", requirements.getBytes(StandardCharsets.UTF_8)));
        }
        return files;
    }

    /**
     * The runner's first start: install the requirements, then run the command; or, for a sandbox
     * whose egress closes once the requirements are in, stop after the install (phase {@value #INSTALLED}).
     */
    public static SandboxCommand start(JobSpec spec, int installTimeoutSeconds, boolean stopAfterInstall, Packing packing) {
        return command(stopAfterInstall ? "install" : "all", spec, installTimeoutSeconds, packing);
    }

    /** The start of a runner in a sandbox made from the job's cached environment: the requirements are in, the command alone. */
    public static SandboxCommand startPrepared(JobSpec spec, Packing packing) {
        return command("prepared", spec, 0, packing);
    }

    /** The second start of a runner that stopped after the install: the command alone. */
    public static SandboxCommand resume(JobSpec spec, Packing packing) {
        return command("command", spec, 0, packing);
    }

    /** bash, the script, its mode, the job dir, the two timeouts, the packing budgets, then the user's argv. */
    private static SandboxCommand command(String mode, JobSpec spec, int installTimeoutSeconds, Packing packing) {
        List<String> args = new ArrayList<>(List.of(META + "/runner.sh", mode, WORKDIR, String.valueOf(spec.timeoutSeconds()),
                String.valueOf(installTimeoutSeconds), String.valueOf(packing.tailBytes()), String.valueOf(packing.resultBytes())));
        args.addAll(spec.command());
        return new SandboxCommand("/bin/bash", args, Map.of(), META, TAG);
    }

    /**
     * What goes into {@link #OUTCOME}: the last {@code tailBytes} of each output file (what a job keeps of
     * them), and result files up to {@code resultBytes} together (what a job returns inline).
     */
    public record Packing(int tailBytes, long resultBytes) {
        /** tar's headers and padding around the packed files: a block per entry, a few dozen entries at most beside the results. */
        private static final int TAR_OVERHEAD = 256 * 1024;
        /** The line before the printed archive, and the line ends. */
        private static final int PRINTED_FRAME = 64;

        public static Packing of(JobSettings settings) {
            return new Packing(settings.outputTailBytes(), settings.maxInlineResultBytes());
        }

        /** The most an archive of the runner's can hold (three tails, the result budget, tar's overhead); a larger one is not the runner's. */
        public int maxArchiveBytes() {
            return (int) Math.min(Integer.MAX_VALUE / 2, 3L * tailBytes + resultBytes + TAR_OVERHEAD);
        }

        /** The most the runner prints as it exits: the framed base64 of the largest archive. */
        public int maxPrintedBytes() {
            return (maxArchiveBytes() + 2) / 3 * 4 + PRINTED_FRAME;
        }
    }

    /** The packed outcome the runner printed as it finished ("e2bjobs-outcome <size>", a line of base64), if all of it is there. */
    public static Optional<byte[]> printedOutcome(byte[] stdout) {
        String printed = new String(stdout, StandardCharsets.US_ASCII);
        int start = printed.lastIndexOf(PRINTED_OUTCOME);
        String[] lines = start < 0 ? new String[0] : printed.substring(start + PRINTED_OUTCOME.length()).split("\n", 3);
        if (lines.length < 3 || !lines[0].matches("\\d{1,9}")) {
            return Optional.empty();
        }
        try {
            byte[] archive = Base64.getDecoder().decode(lines[1]);
            return archive.length == Integer.parseInt(lines[0]) ? Optional.of(archive) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** What the runner's exit_code file says: the phase that ended the job and its exit code. */
    public record Outcome(String phase, int exitCode) {

        public static Outcome parse(byte[] file) {
            String[] parts = new String(file, StandardCharsets.UTF_8).trim().split("\\s+");
            if (parts.length != 2) {
                return new Outcome("unknown", -1);
            }
            try {
                return new Outcome(parts[0], Integer.parseInt(parts[1]));
            } catch (NumberFormatException e) {
                return new Outcome("unknown", -1);
            }
        }
    }

    private static byte[] load() {
        try (InputStream in = Runner.class.getResourceAsStream("runner.sh")) {
            if (in == null) {
                throw new IllegalStateException("runner.sh is missing from the artifact");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
