package dev.e2bjobs.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the job domain needs from a sandbox provider. Every method either answers or throws one of
 * the {@link SandboxException} subclasses, each naming one failure mode; transient failures have
 * already been retried by the time they reach the caller.
 */
public interface SandboxGateway {

    /**
     * Creates a sandbox tagged with the spec's job id. A create that had to be retried leaves no
     * second sandbox behind: extra sandboxes carrying the same job id are killed.
     */
    SandboxRef create(SandboxSpec spec);

    /** Writes all files in one request; parent directories are created, existing files replaced. */
    void upload(SandboxRef sandbox, List<SandboxFile> files);

    /**
     * Starts a command that outlives this call and returns its pid. With a tag, a retried start first
     * looks for a running process with that tag, so one call starts at most one process.
     */
    long startBackground(SandboxRef sandbox, SandboxCommand command);

    /**
     * Follows a process for at most {@code wait}: exited as soon as it has (or its sandbox no longer
     * knows it), not if it still runs when the wait is over; with what it wrote to stdout while followed,
     * the first {@code maxStdoutBytes} of it.
     */
    ProcessExit awaitExit(SandboxRef sandbox, long pid, Duration wait, int maxStdoutBytes);

    /** Whether a process started with this tag is still running. */
    boolean isRunning(SandboxRef sandbox, String tag);

    /** A file's bytes, or empty when the file does not exist. */
    Optional<byte[]> readFile(SandboxRef sandbox, String path);

    /** At most the last {@code maxBytes} of a file, or empty when the file does not exist. */
    Optional<FileTail> readFileTail(SandboxRef sandbox, String path, int maxBytes);

    /** Regular files under a directory, recursively; empty when the directory does not exist. */
    List<FileEntry> listFiles(SandboxRef sandbox, String directory);

    /** Kills a sandbox: true if it was running or paused, false if it was already gone. */
    boolean kill(String sandboxId);

    /** Replaces where the sandbox may connect; processes started before keep what they had open. */
    void setEgress(SandboxRef sandbox, Egress egress);

    /**
     * Snapshots a sandbox under a name (its processes pause while it is copied) and returns the
     * snapshot's id, which {@link #create} takes as a template. A retried snapshot takes the name over,
     * so deleting by the name leaves no copy behind.
     */
    String snapshot(SandboxRef sandbox, String name);

    /** Deletes a snapshot by id or name: true if there was one. */
    boolean deleteSnapshot(String idOrName);

    /** Every running or paused sandbox whose metadata contains all the given pairs. */
    List<SandboxInfo> listOwned(Map<String, String> metadata);
}
