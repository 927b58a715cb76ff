package dev.e2bjobs.job;

/**
 * A result file the job wrote: its bytes when they fit inline, else the key of its stored copy
 * ({@code artifactKey}), or, beyond the artifact size limit, only its size ({@code omitted}).
 */
public record ResultFile(String path, long size, byte[] content, String artifactKey, boolean omitted) {

    public static ResultFile inline(String path, byte[] content) {
        return new ResultFile(path, content.length, content.clone(), null, false);
    }

    public static ResultFile stored(String path, long size, String artifactKey) {
        return new ResultFile(path, size, new byte[0], artifactKey, false);
    }

    public static ResultFile omitted(String path, long size) {
        return new ResultFile(path, size, new byte[0], null, true);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResultFile that && path.equals(that.path) && size == that.size && omitted == that.omitted
                && java.util.Objects.equals(artifactKey, that.artifactKey) && java.util.Arrays.equals(content, that.content);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + java.util.Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "ResultFile[" + path + ", " + size + " bytes" + (artifactKey != null ? ", stored" : "") + (omitted ? ", omitted" : "") + "]";
    }
}
