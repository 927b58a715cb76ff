package dev.e2bjobs.job;

/** Another invocation changed the job first (or it already exists); the caller re-reads it and decides again. */
public class ConcurrentUpdateException extends RuntimeException {

    public ConcurrentUpdateException(String jobId, Throwable cause) {
        super("job " + jobId + " was changed concurrently", cause);
    }
}
