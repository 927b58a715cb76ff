package dev.e2bjobs.job;

import dev.e2bjobs.sandbox.FileEntry;
import dev.e2bjobs.sandbox.FileTail;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxRef;
import java.util.List;
import java.util.Optional;

/**
 * A runner that has written its exit code, and the reads that harvest it: answered from its packed
 * outcome where that holds the answer, from the sandbox file by file otherwise (a runner that could not
 * pack, one started before runners packed, output or results beyond the archive's budgets).
 */
final class FinishedRunner {
    private final Runner.Outcome outcome;
    private final Optional<PackedOutcome> packed;
    private final SandboxGateway sandboxes;
    private final SandboxRef sandbox;

    private FinishedRunner(Runner.Outcome outcome, Optional<PackedOutcome> packed, SandboxGateway sandboxes, SandboxRef sandbox) {
        this.outcome = outcome;
        this.packed = packed;
        this.sandboxes = sandboxes;
        this.sandbox = sandbox;
    }

    /** The runner's packed outcome, if it has written one that parses, and is not larger than {@code maxBytes}. */
    static Optional<FinishedRunner> packed(SandboxGateway sandboxes, SandboxRef sandbox, int maxBytes) {
        return sandboxes.readFileTail(sandbox, Runner.OUTCOME, maxBytes).filter(archive -> !archive.truncated())
                .flatMap(archive -> from(archive.bytes(), sandboxes, sandbox));
    }

    /** The packed outcome the runner printed as it exited, if a follower saw all of it. */
    static Optional<FinishedRunner> printed(byte[] runnerStdout, SandboxGateway sandboxes, SandboxRef sandbox) {
        return Runner.printedOutcome(runnerStdout).flatMap(archive -> from(archive, sandboxes, sandbox));
    }

    private static Optional<FinishedRunner> from(byte[] archive, SandboxGateway sandboxes, SandboxRef sandbox) {
        return PackedOutcome.parse(archive).map(packed -> new FinishedRunner(packed.outcome(), Optional.of(packed), sandboxes, sandbox));
    }

    /** The runner's exit-code file alone, for a runner that packed nothing. */
    static Optional<FinishedRunner> unpacked(SandboxGateway sandboxes, SandboxRef sandbox) {
        return sandboxes.readFile(sandbox, Runner.EXIT_CODE)
                .map(file -> new FinishedRunner(Runner.Outcome.parse(file), Optional.empty(), sandboxes, sandbox));
    }

    Runner.Outcome outcome() {
        return outcome;
    }

    /** The last {@code maxBytes} of a runner output file ({@link Runner#STDOUT} ...). */
    Optional<FileTail> tail(String path, int maxBytes) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return packed.flatMap(archive -> archive.tail(name, maxBytes)).or(() -> sandboxes.readFileTail(sandbox, path, maxBytes));
    }

    /** The files under {@code directory}, one of the job's {@code resultPaths} (relative to {@code workdir}), with their sizes. */
    List<FileEntry> list(String workdir, List<String> resultPaths, String directory) {
        Optional<List<FileEntry>> listed = packed.flatMap(archive -> archive.results(workdir, resultPaths))
                .map(all -> all.stream().filter(entry -> entry.path().startsWith(workdir + "/" + directory)).toList());
        return listed.orElseGet(() -> sandboxes.listFiles(sandbox, workdir + "/" + directory.substring(0, directory.length() - 1)));
    }

    /** A result file (its path relative to the job directory, under {@code workdir}). */
    Optional<byte[]> read(String workdir, String relativePath) {
        return packed.flatMap(archive -> archive.resultFile(relativePath)).or(() -> sandboxes.readFile(sandbox, workdir + "/" + relativePath));
    }
}
