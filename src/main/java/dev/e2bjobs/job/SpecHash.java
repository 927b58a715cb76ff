package dev.e2bjobs.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A SHA-256 over specs' content in a fixed order: two requests asking for the same jobs hash alike. */
final class SpecHash {
    private SpecHash() {
    }

    static String of(List<JobSpec> specs) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        field(digest, "jobs", String.valueOf(specs.size()).getBytes(StandardCharsets.UTF_8));
        specs.forEach(spec -> add(digest, spec));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void add(MessageDigest digest, JobSpec spec) {
        Map<String, byte[]> files = new TreeMap<>();
        spec.files().forEach(file -> files.put(file.path(), file.content()));
        files.forEach((path, content) -> {
            field(digest, "file", path.getBytes(StandardCharsets.UTF_8));
            field(digest, "content", content);
        });
        spec.command().forEach(arg -> field(digest, "arg", arg.getBytes(StandardCharsets.UTF_8)));
        spec.dependencies().forEach(dep -> field(digest, "dep", dep.getBytes(StandardCharsets.UTF_8)));
        new TreeMap<>(spec.env()).forEach((k, v) -> field(digest, "env", (k + "=" + v).getBytes(StandardCharsets.UTF_8)));
        new TreeMap<>(spec.labels()).forEach((k, v) -> field(digest, "label", (k + "=" + v).getBytes(StandardCharsets.UTF_8)));
        spec.resultPaths().forEach(path -> field(digest, "result", path.getBytes(StandardCharsets.UTF_8)));
        field(digest, "template", spec.template().getBytes(StandardCharsets.UTF_8));
        field(digest, "timeout", String.valueOf(spec.timeoutSeconds()).getBytes(StandardCharsets.UTF_8));
        field(digest, "internet", String.valueOf(spec.internet()).getBytes(StandardCharsets.UTF_8));
        field(digest, "callback", String.valueOf(spec.callbackUrl()).getBytes(StandardCharsets.UTF_8));
    }

    /** Length-prefixed, so no two different specs can produce the same byte stream. */
    private static void field(MessageDigest digest, String name, byte[] value) {
        digest.update(name.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        digest.update(java.nio.ByteBuffer.allocate(4).putInt(value.length).array());
        digest.update(value);
    }
}
