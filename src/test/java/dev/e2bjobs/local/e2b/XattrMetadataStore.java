package dev.e2bjobs.local.e2b;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import java.util.TreeMap;

/** Metadata as envd keeps it: {@code user.e2b.<key>} xattrs, so sandbox processes see them too (getfattr). */
final class XattrMetadataStore implements MetadataStore {
    /** The JDK's view adds the {@code user.} namespace itself. */
    private static final String PREFIX = "e2b.";

    /** Whether the filesystem under {@code dir} takes user xattrs (tmpfs before Linux 6.6 and some overlays do not). */
    static boolean worksAt(Path dir) {
        try {
            UserDefinedFileAttributeView view = view(dir);
            view.write(PREFIX + "probe", ByteBuffer.allocate(0));
            view.delete(PREFIX + "probe");
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public Map<String, String> read(Path file) {
        Map<String, String> metadata = new TreeMap<>();
        try {
            UserDefinedFileAttributeView view = view(file);
            for (String name : view.list()) {
                if (name.startsWith(PREFIX)) {
                    metadata.put(name.substring(PREFIX.length()), value(view, name));
                }
            }
            return metadata;
        } catch (IOException unreadable) {
            return Map.of();
        }
    }

    @Override
    public void replace(Path file, Map<String, String> metadata) throws IOException {
        UserDefinedFileAttributeView view = view(file);
        for (String name : view.list()) {
            if (name.startsWith(PREFIX) && !metadata.containsKey(name.substring(PREFIX.length()))) {
                view.delete(name);
            }
        }
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            view.write(PREFIX + entry.getKey(), StandardCharsets.US_ASCII.encode(entry.getValue()));
        }
    }

    /** A value set inside the sandbox may hold any bytes; one that is not UTF-8 fails the read, as envd skips it. */
    private static String value(UserDefinedFileAttributeView view, String name) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(view.size(name));
        view.read(name, bytes);
        bytes.flip();
        return StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
    }

    private static UserDefinedFileAttributeView view(Path file) {
        return Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
    }
}
