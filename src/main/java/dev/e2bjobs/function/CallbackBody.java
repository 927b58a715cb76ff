package dev.e2bjobs.function;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a completion callback POSTs: the event, when it was sent (epoch seconds, the same as the
 * X-E2bJobs-Timestamp header the signature covers), and the job as GET /jobs/{jobId} shows it.
 */
@RegisterForReflection
public record CallbackBody(String event, long timestamp, JobView job) {
    public static final String JOB_ENDED = "job.ended";
}
