package dev.e2bjobs.job;

import java.time.Clock;

/** DELETE /jobs/{id}: a job that has not ended is CANCELLED and its sandbox killed; an ended job stays as it is. */
public class JobCancellation {
    private final JobStore store;
    private final JobEnding ending;
    private final Clock clock;

    public JobCancellation(JobStore store, JobEnding ending, Clock clock) {
        this.store = store;
        this.ending = ending;
        this.clock = clock;
    }

    public Job cancel(String owner, String jobId) {
        Job job = store.owned(owner, jobId);
        return job.status().isTerminal() ? job : ending.end(job, j -> j.cancelled(clock.instant()));
    }
}
