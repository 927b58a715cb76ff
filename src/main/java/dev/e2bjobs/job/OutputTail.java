package dev.e2bjobs.job;

/** The end of a job's stdout or stderr, and whether earlier output was cut. */
@io.quarkus.runtime.annotations.RegisterForReflection
public record OutputTail(String text, boolean truncated) {
    public static final OutputTail EMPTY = new OutputTail("", false);
}
