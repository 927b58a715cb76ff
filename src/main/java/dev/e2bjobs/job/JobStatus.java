package dev.e2bjobs.job;

import java.util.EnumSet;
import java.util.Set;

/**
 * A job's place in its lifecycle:
 * <pre>
 * QUEUED ─► STARTING ─► RUNNING ─► SUCCEEDED | FAILED | TIMED_OUT
 *    ▲         │  └──────────────► FAILED (the start failed for good)
 *    └─────────┘ (E2B busy or failing: back in line)
 * any non-terminal ─► CANCELLED
 * </pre>
 */
public enum JobStatus {
    QUEUED, STARTING, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == TIMED_OUT || this == CANCELLED;
    }

    /** The statuses a job in this one may move to. */
    public Set<JobStatus> next() {
        return switch (this) {
            case QUEUED -> EnumSet.of(STARTING, CANCELLED);
            case STARTING -> EnumSet.of(QUEUED, RUNNING, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED);
            case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED -> EnumSet.noneOf(JobStatus.class);
        };
    }
}
