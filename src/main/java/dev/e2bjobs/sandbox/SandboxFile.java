package dev.e2bjobs.sandbox;

/** A file to write into a sandbox, at an absolute path. */
public record SandboxFile(String path, byte[] content) {

    public SandboxFile {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("sandbox file paths are absolute, got " + path);
        }
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }
}
