package dev.e2bjobs.job;

import dev.e2bjobs.sandbox.FileEntry;
import dev.e2bjobs.sandbox.FileTail;
import dev.e2bjobs.sandbox.SandboxCommand;
import dev.e2bjobs.sandbox.SandboxException;
import dev.e2bjobs.sandbox.SandboxFile;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxInfo;
import dev.e2bjobs.sandbox.SandboxNotFoundException;
import dev.e2bjobs.sandbox.SandboxRef;
import dev.e2bjobs.sandbox.SandboxSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sandboxes as maps of files, for domain tests: nothing runs; a test plays the runner by writing
 * its output files with {@link #finish}. Failures can be queued per operation.
 */
final class FakeSandboxGateway implements SandboxGateway {

    /** A fake sandbox: its spec, files and start time. */
    record Box(SandboxSpec spec, Map<String, byte[]> files, Instant startedAt, List<SandboxCommand> started) {
    }

    final Map<String, Box> sandboxes = new LinkedHashMap<>();
    final List<String> killed = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Clock clock;
    SandboxException nextCreateFailure;
    SandboxException nextUploadFailure;
    Runnable onCreate = () -> { };

    FakeSandboxGateway(Clock clock) {
        this.clock = clock;
    }

    @Override
    public SandboxRef create(SandboxSpec spec) {
        if (nextCreateFailure != null) {
            SandboxException failure = nextCreateFailure;
            nextCreateFailure = null;
            throw failure;
        }
        String id = "isb" + ids.incrementAndGet();
        sandboxes.put(id, new Box(spec, new LinkedHashMap<>(), clock.instant(), new ArrayList<>()));
        onCreate.run();
        return new SandboxRef(id, "token-" + id, null);
    }

    @Override
    public void upload(SandboxRef sandbox, List<SandboxFile> files) {
        if (nextUploadFailure != null) {
            SandboxException failure = nextUploadFailure;
            nextUploadFailure = null;
            throw failure;
        }
        files.forEach(file -> box(sandbox.sandboxId()).files().put(file.path(), file.content()));
    }

    @Override
    public long startBackground(SandboxRef sandbox, SandboxCommand command) {
        box(sandbox.sandboxId()).started().add(command);
        return 100;
    }

    @Override
    public Optional<byte[]> readFile(SandboxRef sandbox, String path) {
        return Optional.ofNullable(box(sandbox.sandboxId()).files().get(path));
    }

    @Override
    public Optional<FileTail> readFileTail(SandboxRef sandbox, String path, int maxBytes) {
        return readFile(sandbox, path).map(bytes -> new FileTail(
                Arrays.copyOfRange(bytes, Math.max(0, bytes.length - maxBytes), bytes.length), bytes.length));
    }

    @Override
    public List<FileEntry> listFiles(SandboxRef sandbox, String directory) {
        return box(sandbox.sandboxId()).files().entrySet().stream().filter(e -> e.getKey().startsWith(directory + "/"))
                .map(e -> new FileEntry(e.getKey(), e.getKey().substring(e.getKey().lastIndexOf('/') + 1), FileEntry.Type.FILE,
                        e.getValue().length))
                .toList();
    }

    @Override
    public boolean kill(String sandboxId) {
        killed.add(sandboxId);
        return sandboxes.remove(sandboxId) != null;
    }

    @Override
    public List<SandboxInfo> listOwned(Map<String, String> metadata) {
        return sandboxes.entrySet().stream()
                .filter(e -> e.getValue().spec().allMetadata().entrySet().containsAll(metadata.entrySet()))
                .map(e -> new SandboxInfo(e.getKey(), "base", SandboxInfo.State.RUNNING, e.getValue().startedAt(), null,
                        e.getValue().spec().allMetadata()))
                .toList();
    }

    /** Plays the runner: writes outputs and, last, the exit-code file. */
    void finish(String sandboxId, String exitLine, String stdout, Map<String, byte[]> results) {
        Map<String, byte[]> files = box(sandboxId).files();
        files.put(Runner.STDOUT, stdout.getBytes(StandardCharsets.UTF_8));
        results.forEach((path, bytes) -> files.put(Runner.WORKDIR + "/" + path, bytes));
        files.put(Runner.EXIT_CODE, (exitLine + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private Box box(String sandboxId) {
        Box box = sandboxes.get(sandboxId);
        if (box == null) {
            throw new SandboxNotFoundException("fake: no sandbox " + sandboxId, null);
        }
        return box;
    }
}
