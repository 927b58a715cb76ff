package dev.e2bjobs.job;

import java.util.List;
import java.util.Optional;

/**
 * Where jobs and idempotency records live between invocations. Every write of a job is conditional
 * on its version, so racing invocations change a job at most once per version.
 */
public interface JobStore {

    /** Stores a new job (version 0); returns it at version 1. Fails if the id exists. */
    Job create(Job job);

    Optional<Job> find(String jobId);

    /**
     * Writes {@code next} if the stored job is still at {@code next.version()}; returns it at the
     * next version, or throws {@link ConcurrentUpdateException} when someone else wrote first.
     */
    Job update(Job next);

    /** Non-terminal jobs, oldest first, at most {@code limit}. */
    List<Job> active(int limit);

    /** One page of an owner's jobs, newest first, optionally filtered. */
    JobPage list(String owner, JobStatus status, String label, String cursor, int limit);

    /**
     * Claims an idempotency key for a payload (Powertools' protocol): a fresh key, or one whose
     * earlier claim was never completed and has expired, is claimed for {@code jobId}; otherwise
     * the existing record is returned.
     */
    Optional<IdempotencyRecord> claim(IdempotencyRecord record);

    /** Marks a claimed key as done: later requests with it get the same job. */
    void complete(IdempotencyRecord record);

    /** Gives a claimed key up after the request failed, so a retry can claim it again. */
    void release(IdempotencyRecord record);

    /** A page of jobs and the cursor of the next one (null at the end). */
    record JobPage(List<Job> jobs, String nextCursor) {
    }
}
