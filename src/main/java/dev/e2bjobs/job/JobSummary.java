package dev.e2bjobs.job;

import java.time.Instant;
import java.util.Map;

/** A job as a listing shows it: where it stands, without its output or result files. */
public record JobSummary(String jobId, JobStatus status, Map<String, String> labels, Instant createdAt, Instant startedAt,
        Instant finishedAt, Integer exitCode, JobError error) {

    public static JobSummary of(Job job) {
        return new JobSummary(job.jobId(), job.status(), job.spec().labels(), job.createdAt(), job.startedAt(), job.finishedAt(),
                job.output().exitCode(), job.error());
    }
}
