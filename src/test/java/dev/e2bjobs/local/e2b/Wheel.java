package dev.e2bjobs.local.e2b;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A wheel (a .whl file): its name, which carries the project and version, and its bytes. */
record Wheel(String fileName, byte[] bytes) {

    /**
     * Builds a pure-Python wheel: the given sources, and a dist-info whose RECORD lists every file
     * with its sha256, as pip expects of a wheel it installs.
     */
    static Wheel pure(String project, String version, Map<String, String> sources) {
        String distribution = project.replaceAll("[-_.]+", "_");
        String distInfo = distribution + "-" + version + ".dist-info/";
        Map<String, byte[]> files = new LinkedHashMap<>();
        sources.forEach((path, text) -> files.put(path, utf8(text)));
        files.put(distInfo + "METADATA", utf8("Metadata-Version: 2.1\nName: " + project + "\nVersion: " + version + "\n"));
        files.put(distInfo + "WHEEL", utf8("Wheel-Version: 1.0\nGenerator: local-e2b\nRoot-Is-Purelib: true\nTag: py3-none-any\n"));
        files.put(distInfo + "RECORD", record(files, distInfo + "RECORD"));
        return new Wheel(distribution + "-" + version + "-py3-none-any.whl", zip(files));
    }

    /** The project's PEP 503 name, the directory its files live in on a simple index. */
    String project() {
        return fileName.substring(0, fileName.indexOf('-')).replaceAll("[-_.]+", "-").toLowerCase(Locale.ROOT);
    }

    static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RECORD's own line has no hash: it cannot hold its own. */
    private static byte[] record(Map<String, byte[]> files, String recordPath) {
        StringBuilder record = new StringBuilder();
        files.forEach((path, content) -> record.append(path).append(",sha256=")
                .append(Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(content)))
                .append(',').append(content.length).append('\n'));
        return utf8(record.append(recordPath).append(",,\n").toString());
    }

    private static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
