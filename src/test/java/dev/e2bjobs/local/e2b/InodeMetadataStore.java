package dev.e2bjobs.local.e2b;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metadata for a tree whose filesystem has no user xattrs, kept by the server per inode: like an xattr
 * it follows its file through renames and in-place writes. Unlike one, it is invisible to sandbox
 * processes and lives only as long as the server; a new file that reuses a deleted file's inode shows
 * the old metadata until an upload replaces it.
 */
final class InodeMetadataStore implements MetadataStore {
    private final Map<Object, Map<String, String>> byInode = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> read(Path file) {
        try {
            return byInode.getOrDefault(inode(file), Map.of());
        } catch (IOException unreadable) {
            return Map.of();
        }
    }

    @Override
    public void replace(Path file, Map<String, String> metadata) throws IOException {
        if (metadata.isEmpty()) {
            byInode.remove(inode(file));
        } else {
            byInode.put(inode(file), Collections.unmodifiableSortedMap(new TreeMap<>(metadata)));
        }
    }

    /** The JDK's file key: device and inode number on Unix. */
    private static Object inode(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }
}
