package dev.e2bjobs.sandbox;

/** The end of a file: the bytes read and the file's full size. */
public record FileTail(byte[] bytes, long totalSize) {

    public FileTail {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Whether the file is longer than what was read. */
    public boolean truncated() {
        return totalSize > bytes.length;
    }
}
