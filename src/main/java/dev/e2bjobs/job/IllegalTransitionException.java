package dev.e2bjobs.job;

/** A change the job lifecycle does not allow (a programming error, never a user's). */
public class IllegalTransitionException extends IllegalStateException {

    public IllegalTransitionException(String jobId, JobStatus from, String change) {
        super("job " + jobId + ": " + change + " is not allowed from " + from);
    }
}
