package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.local.e2b.Isolation.SandboxUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/** envd's filesystem.Filesystem unary methods: Stat, ListDir, MakeDir, Move, Remove, and the polled watchers. */
final class FilesystemRpc {
    private final WatchRpc watches;

    FilesystemRpc(WatchRpc watches) {
        this.watches = watches;
    }

    JsonNode call(String method, JsonNode request, Sandbox sandbox, SandboxUser user) throws IOException {
        return switch (method) {
            case "Stat" -> stat(request, sandbox, user);
            case "ListDir" -> listDir(request, sandbox, user);
            case "MakeDir" -> makeDir(request, sandbox, user);
            case "Move" -> move(request, sandbox, user);
            case "Remove" -> remove(request, sandbox, user);
            case "CreateWatcher", "GetWatcherEvents", "RemoveWatcher" -> watches.call(method, request, sandbox, user);
            default -> throw new RpcError("unimplemented", "filesystem.Filesystem/" + method + " is not supported by the local E2B server");
        };
    }

    static String path(JsonNode request, String field, SandboxUser user) {
        String value = request.path(field).asText("");
        if (value.isEmpty()) {
            throw new RpcError("invalid_argument", field + " is required");
        }
        return SandboxFiles.protocolPath(value, user);
    }

    private JsonNode stat(JsonNode request, Sandbox sandbox, SandboxUser user) throws IOException {
        String path = path(request, "path", user);
        Path host = existing(sandbox, path);
        return entryResponse(sandbox, host);
    }

    private JsonNode listDir(JsonNode request, Sandbox sandbox, SandboxUser user) throws IOException {
        String path = path(request, "path", user);
        Path host = sandbox.files.resolve(path);
        if (!Files.exists(host)) {
            throw new RpcError("not_found", "directory '" + path + "' does not exist");
        }
        if (!Files.isDirectory(host)) {
            throw new RpcError("invalid_argument", "path '" + path + "' is not a directory");
        }
        int depth = Math.max(1, request.path("depth").asInt(1));
        ObjectNode response = Json.object();
        ArrayNode entries = response.putArray("entries");
        try (Stream<Path> walk = Files.walk(host, depth)) {
            for (Path entry : walk.skip(1).sorted().toList()) {
                entries.add(entry(sandbox, entry));
            }
        }
        return response;
    }

    private JsonNode makeDir(JsonNode request, Sandbox sandbox, SandboxUser user) throws IOException {
        String path = path(request, "path", user);
        Path host = sandbox.files.resolve(path);
        if (Files.isDirectory(host)) {
            throw new RpcError("already_exists", "directory '" + path + "' already exists");
        }
        if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
            throw new RpcError("invalid_argument", "path '" + path + "' already exists and is not a directory");
        }
        try {
            sandbox.files.createDirectories(host);
        } catch (IOException e) {
            throw new RpcError("invalid_argument", "cannot create directory '" + path + "': " + e.getMessage());
        }
        return entryResponse(sandbox, host);
    }

    private JsonNode move(JsonNode request, Sandbox sandbox, SandboxUser user) throws IOException {
        String source = path(request, "source", user);
        String destination = path(request, "destination", user);
        Path from = existing(sandbox, source);
        Path to = sandbox.files.resolveNoFollow(destination);
        sandbox.files.createDirectories(to.getParent());
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return entryResponse(sandbox, to);
    }

    private JsonNode remove(JsonNode request, Sandbox sandbox, SandboxUser user) throws IOException {
        Path host = sandbox.files.resolveNoFollow(path(request, "path", user));
        if (host.equals(sandbox.files.root())) {
            throw new RpcError("invalid_argument", "refusing to remove the sandbox root");
        }
        if (Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
            Sandboxes.deleteTree(host);
        } else {
            Files.deleteIfExists(host);
        }
        return Json.object();
    }

    private static Path existing(Sandbox sandbox, String path) throws IOException {
        Path host = sandbox.files.resolveNoFollow(path);
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
            throw new RpcError("not_found", "no such file or directory: '" + path + "'");
        }
        return host;
    }

    private static JsonNode entryResponse(Sandbox sandbox, Path host) throws IOException {
        ObjectNode response = Json.object();
        response.set("entry", entry(sandbox, host));
        return response;
    }

    /**
     * EntryInfo in protobuf JSON: int64 size as a string, enum names, RFC 3339 time. A link is described
     * as envd does: the type and mode of what it leads to, and where that is as symlinkTarget (its own
     * path, and no type, when it leads nowhere).
     */
    static ObjectNode entry(Sandbox sandbox, Path host) throws IOException {
        PosixFileAttributes own = attributes(host);
        Path target = own.isSymbolicLink() ? sandbox.files.linkTarget(host) : host;
        PosixFileAttributes described = target == null ? null : target == host ? own : attributes(target);
        String path = sandbox.files.toProtocolPath(host);
        String owner = path.startsWith("/root") ? "root" : "user";
        ObjectNode entry = Json.object().put("name", host.getFileName().toString()).put("type", type(described))
                .put("path", path).put("size", String.valueOf(own.size()))
                .put("mode", described == null ? 0 : mode(described.permissions()))
                .put("permissions", typeLetter(own) + PosixFilePermissions.toString(own.permissions()))
                .put("owner", owner).put("group", owner).put("modifiedTime", Json.time(own.lastModifiedTime().toInstant()));
        if (own.isSymbolicLink()) {
            entry.put("symlinkTarget", target == null ? path : sandbox.files.toProtocolPath(target));
        }
        FileMetadata.addTo(entry, sandbox.files.metadataOf(host));
        return entry;
    }

    private static PosixFileAttributes attributes(Path host) throws IOException {
        return Files.readAttributes(host, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static String type(PosixFileAttributes attributes) {
        if (attributes == null) {
            return "FILE_TYPE_UNSPECIFIED";
        }
        return attributes.isDirectory() ? "FILE_TYPE_DIRECTORY" : attributes.isRegularFile() ? "FILE_TYPE_FILE" : "FILE_TYPE_UNSPECIFIED";
    }

    private static String typeLetter(PosixFileAttributes attributes) {
        return attributes.isDirectory() ? "d" : attributes.isSymbolicLink() ? "L" : "-";
    }

    private static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 1 << (8 - permission.ordinal());
        }
        return mode;
    }
}
