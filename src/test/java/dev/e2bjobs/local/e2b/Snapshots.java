package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Snapshots of sandboxes (E2B's snapshot templates): a copy of a sandbox's files taken while its
 * processes are stopped, kept under the data dir with what E2B reports about it, and the files a
 * create that names it as its template starts with. Processes are not part of it. A snapshot outlives
 * its sandbox and, when the server is started again on the same data dir, the server.
 */
final class Snapshots {
    /** The namespace of snapshot names: the slug of the one team a local server has. */
    static final String TEAM = "local";
    private static final String RECORD = "snapshot.json";
    private static final String FILES = "files";

    /**
     * One snapshot. {@code key} names its directory; {@code alias} is its name without the team, or
     * null; a name taken again moves to the new snapshot, which keeps the template id.
     */
    record Snapshot(String key, String templateId, String alias, String tag, String sandboxId, Instant createdAt, long sizeBytes) {
        /** E2B's snapshotID: the name when there is one, else the template id, with the tag. */
        String snapshotId() {
            return (alias == null ? templateId : TEAM + "/" + alias) + ":" + tag;
        }

        List<String> names() {
            return alias == null ? List.of() : List.of(TEAM + "/" + alias);
        }

        private boolean isOf(TemplateRef ref) {
            return (ref.namespace() == null || ref.namespace().equals(TEAM))
                    && (ref.alias().equals(templateId) || ref.alias().equals(alias))
                    && (ref.tag() == null || ref.tag().equals(tag));
        }
    }

    private final Path dir;
    private final Map<String, Snapshot> bySnapshotId = new ConcurrentHashMap<>();
    /** Template ids and names of deleted snapshots: a create naming one gets E2B's 404, not the base environment. */
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    private Snapshots(Path dir) {
        this.dir = dir;
    }

    /** The snapshots kept in {@code dir}, by this server or an earlier one. */
    static Snapshots open(Path dir) throws IOException {
        Snapshots snapshots = new Snapshots(Files.createDirectories(dir));
        try (Stream<Path> kept = Files.list(dir)) {
            for (Path home : kept.filter(home -> Files.exists(home.resolve(RECORD))).toList()) {
                Snapshot snapshot = fromRecord(home);
                snapshots.bySnapshotId.put(snapshot.snapshotId(), snapshot);
            }
        }
        return snapshots;
    }

    /** Copies the sandbox's files, its processes stopped meanwhile (a paused sandbox is copied as it is). */
    Snapshot take(Sandbox source, TemplateRef name) throws IOException {
        Instant takenAt = Instant.now();
        String key = Sandboxes.randomString(20);
        Path home = Files.createDirectories(dir.resolve(key));
        try {
            Sandboxes.copyFiles(source, Files.createDirectories(home.resolve(FILES)));
            return keep(key, name, source.id, takenAt);
        } catch (IOException | RuntimeException e) {
            Sandboxes.deleteTree(home);
            throw e;
        }
    }

    /** Records a copied snapshot; one that had the same id (a name taken again) is deleted. */
    private synchronized Snapshot keep(String key, TemplateRef name, String sandboxId, Instant takenAt) throws IOException {
        Optional<Snapshot> sameName = name == null ? Optional.empty() : all().stream().filter(s -> name.alias().equals(s.alias())).findFirst();
        Snapshot snapshot = new Snapshot(key, sameName.map(Snapshot::templateId).orElseGet(() -> Sandboxes.randomString(20)),
                name == null ? null : name.alias(), name == null ? TemplateRef.DEFAULT_TAG : name.tagOrDefault(), sandboxId, takenAt,
                SandboxMetrics.diskUsed(files(key)));
        Files.write(dir.resolve(key).resolve(RECORD), Json.bytes(record(snapshot)));
        Snapshot replaced = bySnapshotId.put(snapshot.snapshotId(), snapshot);
        if (replaced != null) {
            Sandboxes.deleteTree(dir.resolve(replaced.key()));
        }
        return snapshot;
    }

    List<Snapshot> all() {
        return List.copyOf(bySnapshotId.values());
    }

    /** The snapshots of the template a reference names (by id or name), of its tag when it has one. */
    List<Snapshot> named(TemplateRef ref) {
        return all().stream().filter(s -> s.isOf(ref)).toList();
    }

    /** The snapshot a create's template reference starts from: without a tag, the default one. */
    Optional<Snapshot> find(TemplateRef ref) {
        return named(new TemplateRef(ref.namespace(), ref.alias(), ref.tagOrDefault())).stream().findFirst();
    }

    /** Whether a reference can only mean a snapshot: it is in the local team's namespace, or a deleted snapshot had it. */
    boolean claims(TemplateRef ref) {
        return ref.namespace() == null ? deleted.contains(ref.alias()) : ref.namespace().equals(TEAM);
    }

    /** The tree a sandbox created from the snapshot starts with. */
    Path files(Snapshot snapshot) {
        return files(snapshot.key());
    }

    private Path files(String key) {
        return dir.resolve(key).resolve(FILES);
    }

    /** Deletes every snapshot of the template a reference names, all tags (as E2B deletes a template); false if none. */
    synchronized boolean delete(TemplateRef ref) {
        List<Snapshot> doomed = named(new TemplateRef(ref.namespace(), ref.alias(), null));
        for (Snapshot snapshot : doomed) {
            bySnapshotId.remove(snapshot.snapshotId());
            deleted.add(snapshot.templateId());
            Optional.ofNullable(snapshot.alias()).ifPresent(deleted::add);
            Sandboxes.deleteTree(dir.resolve(snapshot.key()));
        }
        return !doomed.isEmpty();
    }

    /** What is kept beside the files: E2B's snapshotID and names, and where and when it was taken. */
    private static ObjectNode record(Snapshot snapshot) {
        ObjectNode record = Json.object().put("snapshotID", snapshot.snapshotId()).put("templateID", snapshot.templateId())
                .put("alias", snapshot.alias()).put("tag", snapshot.tag()).put("sandboxID", snapshot.sandboxId())
                .put("createdAt", Json.time(snapshot.createdAt())).put("sizeBytes", snapshot.sizeBytes());
        snapshot.names().forEach(record.putArray("names")::add);
        return record;
    }

    private static Snapshot fromRecord(Path home) throws IOException {
        JsonNode record = Json.MAPPER.readTree(home.resolve(RECORD).toFile());
        return new Snapshot(home.getFileName().toString(), record.path("templateID").asText(), record.path("alias").textValue(),
                record.path("tag").asText(), record.path("sandboxID").asText(), Instant.parse(record.path("createdAt").asText()),
                record.path("sizeBytes").asLong());
    }
}
