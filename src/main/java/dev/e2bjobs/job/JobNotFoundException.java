package dev.e2bjobs.job;

/** No such job for this caller: another owner's job is not found either, so existence is not leaked. */
public class JobNotFoundException extends JobRequestException {

    public JobNotFoundException(String jobId) {
        super("JOB_NOT_FOUND", "no job " + jobId);
    }
}
