package dev.e2bjobs.job;

import dev.e2bjobs.sandbox.SandboxRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A job and everything known about it. Immutable; {@link #with} makes the next state. {@code version}
 * counts stored writes: every transition is a conditional write on it.
 */
public record Job(String jobId, String owner, JobStatus status, JobSpec spec, Instant createdAt, SandboxRef sandbox,
        Instant startedAt, Instant deadline, Instant finishedAt, Integer exitCode, OutputTail stdout, OutputTail stderr,
        List<ResultFile> results, JobError error, long version) {

    public Job {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(status, "status");
        results = results == null ? List.of() : List.copyOf(results);
    }

    public static Job queued(String jobId, String owner, JobSpec spec, Instant now) {
        return new Job(jobId, owner, JobStatus.QUEUED, spec, now, null, null, null, null, null, null, null, List.of(), null, 0);
    }

    /** A copy with some fields changed. */
    public Job with(Consumer<Builder> changes) {
        Builder builder = new Builder(this);
        changes.accept(builder);
        return builder.build();
    }

    /** Mutable staging for {@link #with}. */
    public static final class Builder {
        public String jobId;
        public String owner;
        public JobStatus status;
        public JobSpec spec;
        public Instant createdAt;
        public SandboxRef sandbox;
        public Instant startedAt;
        public Instant deadline;
        public Instant finishedAt;
        public Integer exitCode;
        public OutputTail stdout;
        public OutputTail stderr;
        public List<ResultFile> results;
        public JobError error;
        public long version;

        private Builder(Job job) {
            jobId = job.jobId;
            owner = job.owner;
            status = job.status;
            spec = job.spec;
            createdAt = job.createdAt;
            sandbox = job.sandbox;
            startedAt = job.startedAt;
            deadline = job.deadline;
            finishedAt = job.finishedAt;
            exitCode = job.exitCode;
            stdout = job.stdout;
            stderr = job.stderr;
            results = job.results;
            error = job.error;
            version = job.version;
        }

        private Job build() {
            return new Job(jobId, owner, status, spec, createdAt, sandbox, startedAt, deadline, finishedAt, exitCode,
                    stdout, stderr, results, error, version);
        }
    }
}
