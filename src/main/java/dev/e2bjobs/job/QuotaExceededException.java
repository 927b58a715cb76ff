package dev.e2bjobs.job;

import java.time.Duration;

/** The owner already has as many unfinished jobs as its quota allows: nothing was stored; try again later. */
public class QuotaExceededException extends JobRequestException {
    /** When a retry may find room: jobs finish in seconds to minutes. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(30);

    public QuotaExceededException(String owner, int quota) {
        super("QUOTA_EXCEEDED", owner + " already has " + quota + " unfinished jobs, its quota; submit more once some have ended");
    }
}
