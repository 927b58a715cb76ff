package dev.e2bjobs.local.e2b;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every sandbox of the server, the concurrency cap, and the reaper that ends them at endAt. */
final class Sandboxes implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Sandboxes.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    /** E2B's evictor looks for expired sandboxes every 50 ms. */
    private static final long REAPER_PERIOD_MILLIS = 50;

    /** What a create request asks for, after validation; {@code startingFiles} is a snapshot's tree, or null for a fresh one. */
    record Spec(String templateId, int timeoutSeconds, Map<String, String> metadata, Map<String, String> envVars,
            boolean issueAccessToken, EgressRules egress, boolean pauseOnTimeout, Path startingFiles) {
    }

    /** Counts since the server started or the last reset (tests check concurrency and creates through them). */
    record Stats(int running, int peakRunning, int created) {
    }

    private final Map<String, Sandbox> byId = new ConcurrentHashMap<>();
    /** Metadata of every sandbox created since the last reset, for counts per metadata value. */
    private final List<Map<String, String>> createdMetadata = new ArrayList<>();
    private int peakRunning;
    private final int maxRunning;
    private final Isolation isolation;
    private final Path dataDir;
    final ScheduledExecutorService scheduler;

    Sandboxes(int maxRunning, Isolation isolation, Path dataDir, ScheduledExecutorService scheduler) {
        this.maxRunning = maxRunning;
        this.isolation = isolation;
        this.dataDir = dataDir;
        this.scheduler = scheduler;
        scheduler.scheduleWithFixedDelay(this::reapExpired, REAPER_PERIOD_MILLIS, REAPER_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    Isolation isolation() {
        return isolation;
    }

    /** Creates a sandbox, or throws 429 when the running ones already fill the cap. */
    synchronized Sandbox create(Spec spec) throws IOException {
        requireCapacity();
        String id = "i" + randomString(20);
        Path root = dataDir.resolve(id);
        SandboxMachine machine;
        try {
            prepareTree(root, spec.startingFiles());
            machine = isolation.machine(root, spec.egress());
        } catch (IOException | RuntimeException e) {
            deleteTree(root);
            throw e;
        }
        Instant now = Instant.now();
        Sandbox sandbox = new Sandbox(id, spec.templateId(), spec.metadata(), spec.envVars(),
                spec.issueAccessToken() ? randomString(32) : null, spec.egress(), spec.pauseOnTimeout(),
                new SandboxFiles(root, isolation), machine, now, now.plusSeconds(spec.timeoutSeconds()));
        byId.put(id, sandbox);
        createdMetadata.add(sandbox.metadata);
        notePeak();
        return sandbox;
    }

    /** The files a sandbox starts with, copied before its machine boots, and the directories every sandbox has. */
    private void prepareTree(Path root, Path startingFiles) throws IOException {
        Files.createDirectories(root);
        if (startingFiles != null) {
            copyTree(startingFiles, root);
        }
        isolation.prepareTree(root);
    }

    /**
     * Forks a sandbox: a new one with its settings and a copy of its files, taken while its processes
     * are stopped, before the new sandbox's machine boots (bubblewrap mounts its tree as it starts).
     * Unlike E2B's memory snapshot, the copy does not carry the processes over.
     */
    Sandbox fork(Sandbox source, int timeoutSeconds) throws IOException {
        return whileStopped(source, () -> create(new Spec(source.templateId, timeoutSeconds, source.metadata, source.envVars,
                source.accessToken != null, source.egress, source.pauseOnTimeout, source.files.root())));
    }

    /** Copies a sandbox's files as they are at one moment: its processes stop meanwhile; a paused one is copied as it is. */
    static void copyFiles(Sandbox source, Path to) throws IOException {
        whileStopped(source, () -> {
            copyTree(source.files.root(), to);
            return to;
        });
    }

    /** Work on a sandbox's files that must see them hold still. */
    interface FilesWork<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} with the sandbox's processes stopped where the machine can stop them; a paused sandbox is as it is. */
    private static <T> T whileStopped(Sandbox sandbox, FilesWork<T> work) throws IOException {
        boolean frozen = sandbox.isRunning() && sandbox.machine.freeze();
        try {
            return work.run();
        } finally {
            if (frozen) {
                sandbox.machine.thaw();
            }
        }
    }

    /** cp keeps owners, modes, links and extended attributes, and shares blocks where the filesystem can. */
    private static void copyTree(Path from, Path to) throws IOException {
        Process cp = new ProcessBuilder("cp", "-a", "--reflink=auto", from + "/.", to.toString()).redirectErrorStream(true).start();
        String output = new String(cp.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (cp.waitFor() != 0) {
                throw new IOException("copying the sandbox's files failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying the sandbox's files", e);
        }
    }

    /** Resumes a paused sandbox, subject to the same cap as a create. */
    synchronized void resume(Sandbox sandbox, int timeoutSeconds) {
        requireCapacity();
        Instant now = Instant.now();
        sandbox.resume(now, now.plusSeconds(timeoutSeconds));
        notePeak();
    }

    private void requireCapacity() {
        if (running() >= maxRunning) {
            throw HttpError.of(429, "you have reached the maximum number of concurrent E2B sandboxes (" + maxRunning
                    + "). If you need more, please visit 'https://e2b.dev/docs/billing'");
        }
    }

    private int running() {
        return (int) byId.values().stream().filter(Sandbox::isRunning).count();
    }

    /** Called with the lock held after every start: only creates and resumes add running sandboxes. */
    private void notePeak() {
        peakRunning = Math.max(peakRunning, running());
    }

    synchronized Stats stats() {
        return new Stats(running(), peakRunning, createdMetadata.size());
    }

    /** How many sandboxes were created per value of a metadata key (those without the key are not counted). */
    synchronized Map<String, Integer> createdPer(String metadataKey) {
        return countPer(createdMetadata, metadataKey);
    }

    /** How many sandboxes exist now (running or paused) per value of a metadata key. */
    Map<String, Integer> existingPer(String metadataKey) {
        return countPer(byId.values().stream().map(sandbox -> sandbox.metadata).toList(), metadataKey);
    }

    private static Map<String, Integer> countPer(List<Map<String, String>> metadataOfEach, String metadataKey) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Map<String, String> metadata : metadataOfEach) {
            String value = metadata.get(metadataKey);
            if (value != null) {
                counts.merge(value, 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Starts counting afresh: no creates yet, and the peak is what runs now. */
    synchronized void resetStats() {
        createdMetadata.clear();
        peakRunning = running();
    }

    /** New egress rules apply to processes started from now on, and show or hide the package index. */
    void changeEgress(Sandbox sandbox, EgressRules rules) {
        sandbox.egress = rules;
        sandbox.machine.packageIndexReachable(isolation.packageIndexReachableBy(rules));
    }

    Optional<Sandbox> get(String id) {
        return Optional.ofNullable(id).map(byId::get);
    }

    List<Sandbox> all() {
        return List.copyOf(byId.values());
    }

    /** Kills a sandbox, running or paused: processes first, then its files. */
    boolean kill(String id) {
        Sandbox sandbox = byId.remove(id);
        if (sandbox == null) {
            return false;
        }
        sandbox.terminate();
        deleteTree(sandbox.files.root());
        return true;
    }

    private void reapExpired() {
        Instant now = Instant.now();
        for (Sandbox sandbox : all()) {
            try {
                if (sandbox.isRunning() && now.isAfter(sandbox.endAt())) {
                    if (sandbox.pauseOnTimeout) {
                        sandbox.pause(true);
                    } else {
                        kill(sandbox.id);
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "reaping " + sandbox.id + " failed", e);
            }
        }
    }

    @Override
    public void close() {
        for (Sandbox sandbox : all()) {
            kill(sandbox.id);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }

    static String randomString(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
        }
        return out.toString();
    }
}
