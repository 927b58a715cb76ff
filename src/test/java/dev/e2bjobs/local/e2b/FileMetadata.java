package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The user metadata an upload attaches to its files: every {@code X-Metadata-<key>: <value>} header,
 * key lowercased, first value; validated as envd validates it (shared/pkg/filesystem ValidateMetadata),
 * because envd stores it as {@code user.e2b.<key>} extended attributes.
 */
final class FileMetadata {
    private static final String HEADER_PREFIX = "x-metadata-";
    private static final String XATTR_PREFIX = "user.e2b.";
    /** Linux limits an xattr name, prefix included, to 255 bytes. */
    private static final int MAX_KEY_BYTES = 255 - XATTR_PREFIX.length();
    /** ext4 keeps a file's xattrs within one 4 KiB block; envd counts each name with its prefix plus its value. */
    private static final int MAX_TOTAL_BYTES = 4096;

    private FileMetadata() {
    }

    /** The metadata an upload's headers carry (empty if none), or 400 with envd's message when envd would refuse it. */
    static Map<String, String> fromHeaders(Headers headers) {
        Map<String, String> metadata = new TreeMap<>();
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(HEADER_PREFIX) && name.length() > HEADER_PREFIX.length() && !header.getValue().isEmpty()) {
                metadata.put(name.substring(HEADER_PREFIX.length()), header.getValue().get(0));
            }
        }
        String problem = problem(metadata);
        if (problem != null) {
            throw HttpError.of(400, "invalid metadata: " + problem);
        }
        return metadata;
    }

    /** Adds metadata to an EntryInfo, unless there is none (proto3 JSON leaves an empty map out). */
    static void addTo(ObjectNode entry, Map<String, String> metadata) {
        if (!metadata.isEmpty()) {
            entry.set("metadata", Json.MAPPER.valueToTree(metadata));
        }
    }

    /** What envd would refuse in a metadata set (the first problem found), or null. */
    private static String problem(Map<String, String> metadata) {
        int total = 0;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            String problem = problem(entry.getKey(), entry.getValue());
            if (problem != null) {
                return problem;
            }
            total += XATTR_PREFIX.length() + entry.getKey().length() + entry.getValue().length();
        }
        return total > MAX_TOTAL_BYTES ? "total metadata size " + total + " exceeds " + MAX_TOTAL_BYTES + " bytes" : null;
    }

    private static String problem(String key, String value) {
        if (key.length() > MAX_KEY_BYTES) {
            return "metadata key \"" + key + "\" exceeds " + MAX_KEY_BYTES + " bytes";
        }
        String problem = nonPrintable("key", key);
        return problem != null ? problem : nonPrintable("value for key \"" + key + "\"", value);
    }

    /** Header text arrives one char per byte (ISO-8859-1), so a char's index is the byte offset envd reports. */
    private static String nonPrintable(String label, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                return String.format("metadata %s contains non-printable-ASCII byte 0x%02x at offset %d", label, (int) c, i);
            }
        }
        return null;
    }
}
