package dev.e2bjobs.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where jobs and the deployment's sandbox slots live between invocations. Every write of a job is
 * conditional on its version, so racing invocations change a job at most once per version; a write
 * that loses throws {@link ConcurrentUpdateException}. Slots are counted in the same atomic write as
 * the job that takes or gives them back, so a slot is held exactly once per job start.
 */
public interface JobStore {

    /**
     * Stores one owner's new jobs (version 0) all at once or not at all, counting them against the
     * owner's {@code quota} of unfinished jobs; returns them at version 1. Fails if any id exists
     * ({@link ConcurrentUpdateException}) or the quota would be exceeded ({@link QuotaExceededException}).
     */
    List<Job> create(List<Job> jobs, int quota);

    Optional<Job> find(String jobId);

    /** A job that must exist (it was stored, and jobs are kept for the retention period). */
    default Job stored(String jobId) {
        return find(jobId).orElseThrow(() -> new IllegalStateException("job " + jobId + " vanished"));
    }

    /** The stored state of a job whose write lost a race. */
    default Job reload(Job job) {
        return stored(job.jobId());
    }

    /** The caller's job; another owner's is not found either. */
    default Job owned(String owner, String jobId) {
        return find(jobId).filter(job -> owner.equals(job.owner())).orElseThrow(() -> new JobNotFoundException(jobId));
    }

    /** Writes {@code next} if the stored job is still at {@code next.version()}; returns it at the next version. */
    Job update(Job next);

    /** {@link #update} of a job that reaches its end: it no longer counts against its owner's quota. */
    Job end(Job ended);

    /** {@link #update} of a job that takes a slot, if fewer than {@code cap} are held; else {@link NoFreeSlotException}. */
    Job takeSlot(Job next, int cap);

    /** {@link #update} of a job that gives its slot back. */
    Job giveSlotBack(Job next);

    /** Slots held right now. */
    int slotsHeld();

    /** Jobs that hold or are acquiring a sandbox (STARTING, RUNNING, or ended with their slot not yet given back), oldest first. */
    List<Job> holding(int limit);

    /** QUEUED jobs whose backoff is over at {@code now}, oldest first. */
    List<Job> queued(int limit, Instant now);

    /** One page of an owner's jobs, newest first, optionally filtered by status and a label "key:value". */
    JobPage list(String owner, JobStatus status, String label, String cursor, int limit);

    /** A page of job summaries and the cursor of the next one (null at the end). */
    record JobPage(List<JobSummary> jobs, String nextCursor) {
    }
}
