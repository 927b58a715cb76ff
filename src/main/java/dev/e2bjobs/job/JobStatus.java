package dev.e2bjobs.job;

/** QUEUED → STARTING → RUNNING → SUCCEEDED | FAILED | TIMED_OUT; CANCELLED from any non-terminal. */
public enum JobStatus {
    QUEUED, STARTING, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == CANCELLED;
    }

    /** Whether a job in this state holds (or is acquiring) a sandbox slot. */
    public boolean holdsSandbox() {
        return this == STARTING || this == RUNNING;
    }
}
