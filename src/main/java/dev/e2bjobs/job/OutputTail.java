package dev.e2bjobs.job;

/** The end of a job's stdout or stderr, and whether earlier output was cut. */
public record OutputTail(String text, boolean truncated) {
    public static final OutputTail EMPTY = new OutputTail("", false);
}
