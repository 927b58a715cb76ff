package dev.e2bjobs.local.e2b;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.local.e2b.Isolation.SandboxUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One watch on a sandbox directory (envd's fsnotify watch), on the JDK's WatchService: inotify on Linux,
 * so changes made through the file API and by sandbox processes, which share the host tree, are both
 * seen. A recursive watch adds each new subdirectory as it appears and, as envd's fsnotify does,
 * reports what was already created in it as CREATE events. The JDK reports a move as remove + create
 * and an attribute change as a modification: a renamed entry's old name gets REMOVE where envd says
 * RENAME, and a chmod gets WRITE where envd says CHMOD.
 */
final class DirWatch implements AutoCloseable {
    private static final String CREATE = "EVENT_TYPE_CREATE";
    private static final String REMOVE = "EVENT_TYPE_REMOVE";
    private static final Map<WatchEvent.Kind<?>, String> TYPES = Map.of(
            ENTRY_CREATE, CREATE, ENTRY_MODIFY, "EVENT_TYPE_WRITE", ENTRY_DELETE, REMOVE);

    private final Sandbox sandbox;
    private final Path dir;
    private final boolean recursive;
    private final boolean includeEntry;
    private final WatchService service;

    private DirWatch(Sandbox sandbox, Path dir, JsonNode request) throws IOException {
        this.sandbox = sandbox;
        this.dir = dir;
        this.recursive = request.path("recursive").asBoolean(false);
        this.includeEntry = request.path("includeEntry").asBoolean(false);
        this.service = dir.getFileSystem().newWatchService();
    }

    /** Starts watching the directory a WatchDir or CreateWatcher request names, with envd's errors when it cannot. */
    static DirWatch open(Sandbox sandbox, JsonNode request, SandboxUser user) throws IOException {
        String path = FilesystemRpc.path(request, "path", user);
        Path dir = sandbox.files.resolve(path);
        if (!Files.exists(dir)) {
            throw new RpcError("not_found", "path " + path + " not found: stat " + path + ": no such file or directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new RpcError("invalid_argument", "path " + path + " not a directory");
        }
        DirWatch watch = sandbox.watches.track(new DirWatch(sandbox, dir, request));
        try {
            watch.add(dir, alreadyThere -> { });
        } catch (IOException | UncheckedIOException e) {
            watch.close();
            throw new RpcError("internal", "error adding path " + path + " to watcher: " + e.getMessage());
        }
        return watch;
    }

    /** The events of the next {@code timeoutMillis} (none if nothing happens): waits for the first, takes what came with it. */
    synchronized List<ObjectNode> poll(long timeoutMillis) throws InterruptedException {
        List<ObjectNode> events = new ArrayList<>();
        for (WatchKey key = service.poll(timeoutMillis, TimeUnit.MILLISECONDS); key != null; key = service.poll()) {
            take(key, events);
        }
        return events;
    }

    private void take(WatchKey key, List<ObjectNode> events) {
        Path parent = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
            String type = TYPES.get(event.kind());
            if (type == null) {
                continue; // OVERFLOW: the kernel dropped events it cannot name
            }
            Path changed = parent.resolve((Path) event.context());
            events.add(event(changed, type));
            if (recursive && type.equals(CREATE) && Files.isDirectory(changed, LinkOption.NOFOLLOW_LINKS)) {
                addQuietly(changed, created -> events.add(event(created, CREATE)));
            }
        }
        key.reset();
    }

    /** A directory created and gone again before it could be watched is no error. */
    private void addQuietly(Path top, Consumer<Path> alreadyThere) {
        try {
            add(top, alreadyThere);
        } catch (IOException | UncheckedIOException goneAlready) {
            // its REMOVE event follows
        }
    }

    /** Watches a directory (and, for a recursive watch, every directory under it), passing on what is under it. */
    private void add(Path top, Consumer<Path> alreadyThere) throws IOException {
        try (Stream<Path> tree = recursive ? Files.walk(top) : Stream.of(top)) {
            for (Path path : (Iterable<Path>) tree::iterator) {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    path.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
                }
                if (!path.equals(top)) {
                    alreadyThere.accept(path);
                }
            }
        }
    }

    /** A FilesystemEvent: the name relative to the watched directory, and the entry if asked for and still there. */
    private ObjectNode event(Path changed, String type) {
        ObjectNode event = Json.object().put("name", dir.relativize(changed).toString()).put("type", type);
        if (includeEntry && !type.equals(REMOVE)) {
            try {
                event.set("entry", FilesystemRpc.entry(sandbox, changed));
            } catch (IOException goneAlready) {
                // envd sends the event without an entry then
            }
        }
        return event;
    }

    /** Stops watching; a poll waiting in another thread ends with ClosedWatchServiceException. */
    @Override
    public void close() {
        sandbox.watches.untrack(this);
        try {
            service.close();
        } catch (IOException e) {
            // an inotify descriptor that will not close is gone with the process anyway
        }
    }
}
