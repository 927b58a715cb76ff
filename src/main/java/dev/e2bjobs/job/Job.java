package dev.e2bjobs.job;

import dev.e2bjobs.sandbox.SandboxRef;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A job and everything known about it. Immutable: its status changes only through the named
 * transitions below, each checked against the lifecycle ({@link JobStatus#next()}); an illegal one
 * throws {@link IllegalTransitionException}. {@code version} counts stored writes: every write of a
 * job is conditional on it (see {@link JobStore}).
 *
 * @param sandbox   the sandbox the job's start created, once recorded
 * @param environment with the sandbox, for a job with requirements: their environment, and whether the sandbox came from it cached
 * @param runnerPid the runner's process id in that sandbox, once RUNNING
 * @param slotHeld  whether the job holds one of the deployment's sandbox slots: from STARTING until
 *                  its sandbox is known to be gone
 * @param backoff   how its start attempts have failed so far
 * @param deadline  STARTING: when the start is given up; RUNNING: when the runner must be done
 * @param callback  how the completion callback went, once one was attempted
 */
public record Job(String jobId, String owner, JobStatus status, JobSpec spec, Instant createdAt, SandboxRef sandbox,
        JobEnvironment environment, Long runnerPid, boolean slotHeld, LaunchBackoff backoff, Instant startedAt, Instant deadline,
        Instant finishedAt, JobOutput output, JobError error, CallbackDelivery callback, long version) {

    public Job {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(spec, "spec");
        backoff = backoff == null ? LaunchBackoff.NONE : backoff;
        output = output == null ? JobOutput.NONE : output;
    }

    /** A new job, waiting for a sandbox slot. */
    public static Job queued(String jobId, String owner, JobSpec spec, Instant now) {
        return new Job(jobId, owner, JobStatus.QUEUED, spec, now, null, null, null, false, LaunchBackoff.NONE, null, null, null,
                JobOutput.NONE, null, null, 0);
    }

    /** QUEUED → STARTING: the job takes a sandbox slot; its start is given up at {@code giveUpAt}. */
    public Job starting(Instant giveUpAt) {
        return draft(JobStatus.STARTING, "starting").slot(true).deadline(giveUpAt).build();
    }

    /** STARTING: the sandbox its start created, for a job without requirements. */
    public Job withSandbox(SandboxRef created) {
        return withSandbox(created, null);
    }

    /** STARTING: the sandbox its start created, and the environment of its requirements. */
    public Job withSandbox(SandboxRef created, JobEnvironment madeIn) {
        if (status != JobStatus.STARTING || sandbox != null) {
            throw new IllegalTransitionException(jobId, status, "recording a sandbox");
        }
        return new Draft(this).sandbox(created).environment(madeIn).build();
    }

    /** Still RUNNING, with the runner started again for the command after the install. */
    public Job withRunner(long pid) {
        if (status != JobStatus.RUNNING) {
            throw new IllegalTransitionException(jobId, status, "recording a runner");
        }
        return new Draft(this).runnerPid(pid).build();
    }

    /** STARTING → RUNNING: the runner ({@code pid}) is started; the files are in the sandbox and leave the stored spec. */
    public Job running(Instant now, Instant runnerDeadline, long pid) {
        if (sandbox == null) {
            throw new IllegalTransitionException(jobId, status, "running without a sandbox");
        }
        return draft(JobStatus.RUNNING, "running").spec(spec.withFiles(List.of())).startedAt(now).deadline(runnerDeadline)
                .runnerPid(pid).backoff(LaunchBackoff.NONE).build();
    }

    /** STARTING → QUEUED: back in line (its sandbox, if any, is gone), giving its slot back. */
    public Job requeued(LaunchBackoff after) {
        return draft(JobStatus.QUEUED, "requeueing").sandbox(null).environment(null).slot(false).deadline(null).backoff(after).build();
    }

    public Job succeeded(Instant now, JobOutput runnerOutput) {
        return ended(JobStatus.SUCCEEDED, now, null, runnerOutput);
    }

    public Job failed(Instant now, JobError why, JobOutput runnerOutput) {
        return ended(JobStatus.FAILED, now, why, runnerOutput);
    }

    public Job timedOut(Instant now, JobError why, JobOutput runnerOutput) {
        return ended(JobStatus.TIMED_OUT, now, why, runnerOutput);
    }

    public Job cancelled(Instant now) {
        return ended(JobStatus.CANCELLED, now, new JobError("CANCELLED", "cancelled on request"), JobOutput.NONE);
    }

    /** A finished job's sandbox is gone: it gives its slot back. */
    public Job withSlotGivenBack() {
        if (!status.isTerminal() || !slotHeld) {
            throw new IllegalTransitionException(jobId, status, slotHeld ? "giving a slot back before the end" : "giving back a slot it does not hold");
        }
        return new Draft(this).slot(false).build();
    }

    /** An ended job's callback, attempted or done. */
    public Job withCallback(CallbackDelivery delivery) {
        if (!status.isTerminal()) {
            throw new IllegalTransitionException(jobId, status, "a completion callback before the end");
        }
        return new Draft(this).callback(delivery).build();
    }

    /** The same job as stored at {@code storedVersion}; for stores. */
    public Job atVersion(long storedVersion) {
        return new Draft(this).version(storedVersion).build();
    }

    private Job ended(JobStatus end, Instant now, JobError why, JobOutput runnerOutput) {
        return draft(end, "ending as " + end).finishedAt(now).error(why).output(runnerOutput).build();
    }

    private Draft draft(JobStatus target, String change) {
        if (!status.next().contains(target)) {
            throw new IllegalTransitionException(jobId, status, change);
        }
        return new Draft(this).status(target);
    }

    /** The next state being put together by one transition. */
    private static final class Draft {
        private final Job from;
        private JobStatus status;
        private JobSpec spec;
        private SandboxRef sandbox;
        private JobEnvironment environment;
        private Long runnerPid;
        private boolean slotHeld;
        private LaunchBackoff backoff;
        private Instant startedAt;
        private Instant deadline;
        private Instant finishedAt;
        private JobOutput output;
        private JobError error;
        private CallbackDelivery callback;
        private long version;

        Draft(Job from) {
            this.from = from;
            status = from.status;
            spec = from.spec;
            sandbox = from.sandbox;
            environment = from.environment;
            runnerPid = from.runnerPid;
            slotHeld = from.slotHeld;
            backoff = from.backoff;
            startedAt = from.startedAt;
            deadline = from.deadline;
            finishedAt = from.finishedAt;
            output = from.output;
            error = from.error;
            callback = from.callback;
            version = from.version;
        }

        Draft status(JobStatus value) {
            status = value;
            return this;
        }

        Draft spec(JobSpec value) {
            spec = value;
            return this;
        }

        Draft sandbox(SandboxRef value) {
            sandbox = value;
            return this;
        }

        Draft environment(JobEnvironment value) {
            environment = value;
            return this;
        }

        Draft runnerPid(Long value) {
            runnerPid = value;
            return this;
        }

        Draft slot(boolean held) {
            slotHeld = held;
            return this;
        }

        Draft backoff(LaunchBackoff value) {
            backoff = value;
            return this;
        }

        Draft startedAt(Instant value) {
            startedAt = value;
            return this;
        }

        Draft deadline(Instant value) {
            deadline = value;
            return this;
        }

        Draft finishedAt(Instant value) {
            finishedAt = value;
            return this;
        }

        Draft output(JobOutput value) {
            output = value;
            return this;
        }

        Draft error(JobError value) {
            error = value;
            return this;
        }

        Draft callback(CallbackDelivery value) {
            callback = value;
            return this;
        }

        Draft version(long value) {
            version = value;
            return this;
        }

        Job build() {
            return new Job(from.jobId, from.owner, status, spec, from.createdAt, sandbox, environment, runnerPid, slotHeld, backoff, startedAt,
                    deadline, finishedAt, output, error, callback, version);
        }
    }
}
