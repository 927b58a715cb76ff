package dev.e2bjobs.local.e2b;

import dev.e2bjobs.local.e2b.Isolation.SandboxUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Maps the paths clients send (absolute, relative to the user's home, or {@code ~/...}) into a
 * sandbox's directory tree. Symbolic links are followed as the sandbox would see them, relative to
 * the sandbox root, so a link a sandbox process planted can never lead the server outside the tree.
 */
final class SandboxFiles {
    private static final int MAX_LINK_HOPS = 40;
    private final Path root;
    private final Isolation isolation;
    private final MetadataStore metadataStore;

    SandboxFiles(Path root, Isolation isolation) {
        this.root = root;
        this.isolation = isolation;
        this.metadataStore = MetadataStore.forTree(root);
    }

    Path root() {
        return root;
    }

    /** The absolute, normalised path the sandbox sees for what the client sent. */
    static String protocolPath(String requested, SandboxUser user) {
        if (requested == null || requested.isEmpty()) {
            return user.home();
        }
        String path = requested;
        if (path.equals("~")) {
            path = user.home();
        } else if (path.startsWith("~/")) {
            path = user.home() + path.substring(1);
        } else if (!path.startsWith("/")) {
            path = user.home() + "/" + path;
        }
        return Path.of(path).normalize().toString();
    }

    /** The host path behind a sandbox path, following every link (as reading or writing does). */
    Path resolve(String protocolPath) throws IOException {
        return resolve(protocolPath, true);
    }

    /** The host path behind a sandbox path, leaving a link in the last component as it is (stat, remove). */
    Path resolveNoFollow(String protocolPath) throws IOException {
        return resolve(protocolPath, false);
    }

    /** Where a link finally leads inside the tree, or null when it leads nowhere (as Go's filepath.EvalSymlinks fails). */
    Path linkTarget(Path link) {
        try {
            Path target = resolve(toProtocolPath(link));
            return Files.exists(target, LinkOption.NOFOLLOW_LINKS) ? target : null;
        } catch (IOException tooManyLinks) {
            return null;
        }
    }

    /** The path the sandbox sees for a host path inside its tree. */
    String toProtocolPath(Path host) {
        return "/" + root.relativize(host);
    }

    /** Creates a directory and its missing parents, owned by the sandbox. */
    void createDirectories(Path host) throws IOException {
        if (Files.isDirectory(host)) {
            return;
        }
        Path parent = host.getParent();
        if (parent != null && !parent.equals(root)) {
            createDirectories(parent);
        }
        Files.createDirectory(host);
        isolation.adopt(host);
    }

    /** Writes a file (truncating an existing one), creating parents, owned by the sandbox, with exactly this metadata. */
    void write(Path host, byte[] content, Map<String, String> metadata) throws IOException {
        createDirectories(host.getParent());
        Files.write(host, content);
        isolation.adopt(host);
        metadataStore.replace(host, metadata);
    }

    /** The user metadata of a file (through links), empty if it has none. */
    Map<String, String> metadataOf(Path host) {
        return metadataStore.read(host);
    }

    private Path resolve(String protocolPath, boolean followLast) throws IOException {
        Deque<String> pending = new ArrayDeque<>(components(protocolPath));
        List<String> resolved = new ArrayList<>();
        int hops = 0;
        while (!pending.isEmpty()) {
            String part = pending.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            Path candidate = join(resolved).resolve(part);
            if (Files.isSymbolicLink(candidate) && (followLast || !pending.isEmpty())) {
                if (++hops > MAX_LINK_HOPS) {
                    throw new IOException("too many levels of symbolic links: " + protocolPath);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    resolved.clear();
                }
                List<String> targetParts = components(target);
                for (int i = targetParts.size() - 1; i >= 0; i--) {
                    pending.addFirst(targetParts.get(i));
                }
            } else {
                resolved.add(part);
            }
        }
        return join(resolved);
    }

    private Path join(List<String> parts) {
        Path path = root;
        for (String part : parts) {
            path = path.resolve(part);
        }
        return path;
    }

    private static List<String> components(String path) {
        return Arrays.stream(path.split("/")).filter(p -> !p.isEmpty()).toList();
    }
}
