package dev.e2bjobs.job;

import dev.e2bjobs.sandbox.Egress;
import dev.e2bjobs.sandbox.FileEntry;
import dev.e2bjobs.sandbox.FileTail;
import dev.e2bjobs.sandbox.ProcessExit;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sandboxes as maps of files, for domain tests: nothing runs; a test plays the runner by writing its
 * output files with {@link #finish}, or makes it vanish with {@link #loseRunner}. An operation can be
 * made to fail once ({@link #failNext}) or until cleared ({@link #failAlways}).
 */
public final class FakeSandboxGateway implements SandboxGateway {

    /** A fake sandbox: its spec, files, start time, the commands started in it, the tags still running and its egress updates. */
    public record Box(SandboxSpec spec, Map<String, byte[]> files, Instant startedAt, List<SandboxCommand> started, Set<String> running,
            List<Egress> egressUpdates) {
    }

    /** The gateway's operations, to make one of them fail. */
    enum Op { CREATE, UPLOAD, START, READ, LIST_FILES, PROCESSES, KILL, LIST_SANDBOXES, NETWORK, SNAPSHOT }

    public final Map<String, Box> sandboxes = new LinkedHashMap<>();
    public final List<String> killed = new ArrayList<>();
    /** Snapshot name → the files of the sandbox it was taken from. */
    public final Map<String, Map<String, byte[]>> snapshots = new LinkedHashMap<>();
    int created;
    private final Map<Op, SandboxException> failOnce = new HashMap<>();
    private final Map<Op, SandboxException> failAlways = new HashMap<>();
    private final Clock clock;
    Runnable onCreate = () -> { };
    /** Runs when a wait for a process begins: what happens in the sandbox meanwhile. */
    Runnable onAwait = () -> { };

    public FakeSandboxGateway(Clock clock) {
        this.clock = clock;
    }

    synchronized void failNext(Op op, SandboxException failure) {
        failOnce.put(op, failure);
    }

    synchronized void failAlways(Op op, SandboxException failure) {
        failAlways.put(op, failure);
    }

    synchronized void stopFailing() {
        failOnce.clear();
        failAlways.clear();
    }

    /** Calls per operation so far, failed ones included. */
    final Map<Op, Integer> calls = new java.util.concurrent.ConcurrentHashMap<>();

    private synchronized void maybeFail(Op op) {
        calls.merge(op, 1, Integer::sum);
        SandboxException failure = failOnce.containsKey(op) ? failOnce.remove(op) : failAlways.get(op);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public SandboxRef create(SandboxSpec spec) {
        maybeFail(Op.CREATE);
        String id;
        synchronized (this) {
            id = "isb" + (++created);
            sandboxes.put(id, new Box(spec, new LinkedHashMap<>(), clock.instant(), new ArrayList<>(), new HashSet<>(), new ArrayList<>()));
        }
        onCreate.run();
        return new SandboxRef(id, "token-" + id, null);
    }

    @Override
    public synchronized void upload(SandboxRef sandbox, List<SandboxFile> files) {
        maybeFail(Op.UPLOAD);
        files.forEach(file -> box(sandbox.sandboxId()).files().put(file.path(), file.content()));
    }

    @Override
    public synchronized long startBackground(SandboxRef sandbox, SandboxCommand command) {
        maybeFail(Op.START);
        box(sandbox.sandboxId()).started().add(command);
        box(sandbox.sandboxId()).running().add(command.tag());
        return 100;
    }

    /** Answers at once: the fake's runner has exited once {@link #finish} or {@link #loseRunner} said so. */
    @Override
    public synchronized ProcessExit awaitExit(SandboxRef sandbox, long pid, java.time.Duration wait, int maxStdoutBytes) {
        maybeFail(Op.PROCESSES);
        onAwait.run();
        return new ProcessExit(box(sandbox.sandboxId()).running().isEmpty(), new byte[0]);
    }

    @Override
    public synchronized boolean isRunning(SandboxRef sandbox, String tag) {
        maybeFail(Op.PROCESSES);
        return box(sandbox.sandboxId()).running().contains(tag);
    }

    @Override
    public synchronized Optional<byte[]> readFile(SandboxRef sandbox, String path) {
        maybeFail(Op.READ);
        return Optional.ofNullable(box(sandbox.sandboxId()).files().get(path));
    }

    @Override
    public synchronized Optional<FileTail> readFileTail(SandboxRef sandbox, String path, int maxBytes) {
        return readFile(sandbox, path).map(bytes -> new FileTail(
                Arrays.copyOfRange(bytes, Math.max(0, bytes.length - maxBytes), bytes.length), bytes.length));
    }

    @Override
    public synchronized List<FileEntry> listFiles(SandboxRef sandbox, String directory) {
        maybeFail(Op.LIST_FILES);
        return box(sandbox.sandboxId()).files().entrySet().stream().filter(e -> e.getKey().startsWith(directory + "/"))
                .map(e -> new FileEntry(e.getKey(), e.getKey().substring(e.getKey().lastIndexOf('/') + 1), FileEntry.Type.FILE,
                        e.getValue().length))
                .toList();
    }

    @Override
    public synchronized boolean kill(String sandboxId) {
        maybeFail(Op.KILL);
        killed.add(sandboxId);
        return sandboxes.remove(sandboxId) != null;
    }

    @Override
    public synchronized String snapshot(SandboxRef sandbox, String name) {
        maybeFail(Op.SNAPSHOT);
        snapshots.put(name, new LinkedHashMap<>(box(sandbox.sandboxId()).files()));
        return "snapshot-" + name;
    }

    @Override
    public synchronized boolean deleteSnapshot(String idOrName) {
        maybeFail(Op.SNAPSHOT);
        return snapshots.remove(idOrName.replaceFirst("^snapshot-", "")) != null;
    }

    @Override
    public synchronized void setEgress(SandboxRef sandbox, Egress egress) {
        maybeFail(Op.NETWORK);
        box(sandbox.sandboxId()).egressUpdates().add(egress);
    }

    @Override
    public synchronized List<SandboxInfo> listOwned(Map<String, String> metadata) {
        maybeFail(Op.LIST_SANDBOXES);
        return sandboxes.entrySet().stream()
                .filter(e -> e.getValue().spec().allMetadata().entrySet().containsAll(metadata.entrySet()))
                .map(e -> new SandboxInfo(e.getKey(), "base", SandboxInfo.State.RUNNING, e.getValue().startedAt(), null,
                        e.getValue().spec().allMetadata()))
                .toList();
    }

    /** Plays the runner: writes outputs and, last, the exit-code file, then exits. */
    synchronized void finish(String sandboxId, String exitLine, String stdout, Map<String, byte[]> results) {
        Map<String, byte[]> files = box(sandboxId).files();
        files.put(Runner.STDOUT, stdout.getBytes(StandardCharsets.UTF_8));
        results.forEach((path, bytes) -> files.put(Runner.WORKDIR + "/" + path, bytes));
        files.put(Runner.EXIT_CODE, (exitLine + "\n").getBytes(StandardCharsets.UTF_8));
        box(sandboxId).running().clear();
    }

    /** The runner dies without writing its exit code. */
    /** Plays a process in the sandbox writing a file. */
    public synchronized void write(String sandboxId, String path, String content) {
        box(sandboxId).files().put(path, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    synchronized void loseRunner(String sandboxId) {
        box(sandboxId).running().clear();
    }

    private Box box(String sandboxId) {
        Box box = sandboxes.get(sandboxId);
        if (box == null) {
            throw new SandboxNotFoundException("fake: no sandbox " + sandboxId, null);
        }
        return box;
    }
}
