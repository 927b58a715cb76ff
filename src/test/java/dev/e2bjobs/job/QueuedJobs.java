package dev.e2bjobs.job;

import java.time.Clock;
import java.util.Set;

/**
 * Queues jobs in a given store as {@link JobIntake} does, handing them to no launch: arranges the table that an
 * app under test reads, where the app's own intake is out of reach (the IT mirrors run the packaged artifact).
 * For jobs the app reads, lists or cancels, not ones it starts: their larger files stay in this JVM.
 */
public final class QueuedJobs {
    private final JobIntake intake;

    public QueuedJobs(JobStore store) {
        Clock clock = Clock.systemUTC();
        intake = new JobIntake(store, new Idempotency(new InMemoryIdempotencyStore(clock), TestSettings.DEFAULTS.idempotencyExpiry(), clock),
                new MemoryArtifacts(), (reason, jobIds) -> { }, new CallbackTargets(new FakeWeb(), Set.of()), TestSettings.DEFAULTS, clock,
                new RecordingJobEvents());
    }

    /** The queued job's id. */
    public String queue(String owner, JobRequest request) {
        return intake.submit(owner, request, null).jobId();
    }
}
