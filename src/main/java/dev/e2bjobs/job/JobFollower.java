package dev.e2bjobs.job;

import java.time.Duration;

/**
 * Follows a running job that somebody is to be told about (results to the bucket, a callback) so that
 * its end is seen when the runner exits, not at the next sweep: one follower waits up to its budget,
 * then hands the job to the next. The chain ends with the job, at its deadline at the latest.
 */
public class JobFollower {
    private final JobQueries queries;
    private final FollowTrigger follows;

    public JobFollower(JobQueries queries, FollowTrigger follows) {
        this.queries = queries;
        this.follows = follows;
    }

    /** Whether anyone waits to be told of the job's end without asking for it. */
    public static boolean wanted(Job job) {
        return job.spec().resultsTo() != null || job.spec().callbackUrl() != null;
    }

    /** Waits up to {@code budget} for the job to end; a job still running is handed to the next follower. */
    public Job follow(String jobId, Duration budget) {
        Job job = queries.awaitEnd(jobId, budget);
        if (!job.status().isTerminal()) {
            follows.follow(jobId);
        }
        return job;
    }
}
