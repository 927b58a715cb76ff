package dev.e2bjobs.sandbox;

/** A file-system entry in a sandbox. */
public record FileEntry(String path, String name, Type type, long size) {

    public enum Type { FILE, DIRECTORY, SYMLINK }
}
