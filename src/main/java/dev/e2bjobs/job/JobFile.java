package dev.e2bjobs.job;

/** A file of a job: a relative, normalised path and its bytes. */
public record JobFile(String path, byte[] content) {

    public JobFile {
        content = content.clone();
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JobFile that && path.equals(that.path) && java.util.Arrays.equals(content, that.content);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + java.util.Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return "JobFile[" + path + ", " + content.length + " bytes]";
    }
}
