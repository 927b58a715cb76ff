package dev.e2bjobs.job;

import dev.e2bjobs.sandbox.ProcessExit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** A caller's view of its jobs: one job (finalized on the way when it is done; optionally waited for), or a page. */
public class JobQueries {
    /** Waiting for a job: look again after 50 ms, then twice as long each time, up to a second. */
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final JobStore store;
    private final JobFinalizer finalizer;
    private final Clock clock;

    public JobQueries(JobStore store, JobFinalizer finalizer, Clock clock) {
        this.store = store;
        this.finalizer = finalizer;
        this.clock = clock;
    }

    /**
     * The job now, or, with a wait, as soon as it has ended (or the wait is over): a running job's
     * runner is followed until it exits; a job waiting for its start is looked at again after 50 ms,
     * then twice as long each time, up to a second.
     */
    public Job status(String owner, String jobId, Duration wait) {
        return awaitEnd(firstLook(store.owned(owner, jobId), wait), wait);
    }

    /** Any job, as {@link #status} waits for it: for the follower, which acts for the job's owner. */
    public Job awaitEnd(String jobId, Duration wait) {
        return awaitEnd(firstLook(store.stored(jobId), wait), wait);
    }

    /** A running job waited for is followed before it is looked at: a look now would only find it still running (one E2B read less). */
    private Job firstLook(Job job, Duration wait) {
        return wait.isZero() || job.status() != JobStatus.RUNNING || job.runnerPid() == null ? finalizer.look(job) : job;
    }

    private Job awaitEnd(Job looked, Duration wait) {
        Instant until = clock.instant().plus(wait);
        Job job = looked;
        Duration pause = FIRST_POLL;
        Long exited = null; // a runner that exited while the job stayed RUNNING is not followed again: polled instead
        while (!job.status().isTerminal() && clock.instant().isBefore(until) && !Thread.currentThread().isInterrupted()) {
            Duration left = Duration.between(clock.instant(), until);
            ProcessExit followed = Objects.equals(job.runnerPid(), exited) ? null : finalizer.awaitRunner(job, left);
            if (followed != null && followed.exited()) {
                exited = job.runnerPid();
            } else {
                sleep(pause.compareTo(left) < 0 ? pause : left);
                pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
            }
            job = finalizer.look(store.reload(job), followed == null ? new byte[0] : followed.stdout());
        }
        return job;
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(Math.max(0, pause.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public JobStore.JobPage list(String owner, JobStatus status, String label, String cursor, int limit) {
        return store.list(owner, status, label, cursor, limit);
    }
}
