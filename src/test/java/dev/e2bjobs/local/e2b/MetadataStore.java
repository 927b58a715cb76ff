package dev.e2bjobs.local.e2b;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a sandbox keeps its files' user metadata: envd's {@code user.e2b.<key>} extended attributes
 * where the host filesystem takes user attributes, else a store kept beside them by the server.
 */
interface MetadataStore {
    /** A file's metadata, following links; empty when it has none or cannot be read. */
    Map<String, String> read(Path file);

    /** Replaces a file's whole metadata set: keys missing from {@code metadata} are dropped (envd's upload does so). */
    void replace(Path file, Map<String, String> metadata) throws IOException;

    static MetadataStore forTree(Path root) {
        return XattrMetadataStore.worksAt(root) ? new XattrMetadataStore() : new InodeMetadataStore();
    }
}
