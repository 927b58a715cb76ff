package dev.e2bjobs.job;

import dev.e2bjobs.environment.EnvironmentCache;
import dev.e2bjobs.environment.InMemoryEnvironmentStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Every job room wired to in-memory fakes, for domain tests; starts run on the calling thread. */
public final class JobsOnFakes {
    public static final String OWNER = "ann";

    final TestClock clock = new TestClock();
    final InMemoryJobStore store = new InMemoryJobStore();
    final InMemoryIdempotencyStore keys = new InMemoryIdempotencyStore(clock);
    final FakeSandboxGateway sandboxes = new FakeSandboxGateway(clock);
    final MemoryArtifacts artifacts = new MemoryArtifacts();
    final RecordingLaunchTrigger launches = new RecordingLaunchTrigger();
    final FakeWeb web = new FakeWeb();
    /** What the rooms told operators, in order. */
    final RecordingJobEvents events = new RecordingJobEvents();
    public final MemoryBucket bucket = new MemoryBucket();
    /** The jobs handed to a follower, in order. */
    final List<String> followed = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CallbackTargets callbackTargets = new CallbackTargets(web, java.util.Set.of());
    /** The deployment's webhook signing secret in these tests. */
    static final byte[] SIGNING_KEY = "test-signing-key".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    public final JobSettings settings;
    public final ResultsExport exports;
    public final JobEnding ending;
    final JobFinalizer finalizer;
    final JobLauncher launcher;
    public final JobIntake intake;
    final JobQueries queries;
    final JobFollower follower;
    final JobCancellation cancellation;
    final JobSweeper sweeper;
    final JobNotifier notifier;
    /** Off here: the domain tests count every sandbox a job makes, and builders would be more. */
    final EnvironmentCache environments;

    public JobsOnFakes(JobSettings settings) {
        this.settings = settings;
        exports = new ResultsExport(bucket, bucket);
        ending = new JobEnding(store, sandboxes, launches, web, exports, settings, clock, events);
        finalizer = new JobFinalizer(sandboxes, artifacts, store, ending, exports, settings, clock);
        environments = new EnvironmentCache(new InMemoryEnvironmentStore(), sandboxes, new EnvironmentCache.Settings(false, false,
                Duration.ofDays(7), 20, Duration.ofMinutes(20), Duration.ofMinutes(5), Duration.ofDays(1), 300, Map.of()), clock);
        launcher = new JobLauncher(store, sandboxes, artifacts, ending, settings, clock, Runnable::run, followed::add, events, environments);
        intake = new JobIntake(store, new Idempotency(keys, settings.idempotencyExpiry(), clock), artifacts, launches, callbackTargets,
                settings, clock, events);
        queries = new JobQueries(store, finalizer, clock);
        follower = new JobFollower(queries, followed::add);
        cancellation = new JobCancellation(store, ending, clock);
        sweeper = new JobSweeper(store, sandboxes, finalizer, launcher, ending, settings, clock, events, environments);
        notifier = new JobNotifier(store, callbackTargets, web, () -> SIGNING_KEY, settings.webhooks(), clock, events);
    }

    /** A one-file Python job with an env var, running for up to {@code timeoutSeconds}. */
    static JobRequest job(int timeoutSeconds) {
        return new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)")), "python main.py", null, null,
                Map.of("SEED", "1"), null, timeoutSeconds, null, null, null, null);
    }

    /** Submits a job and lets a launch run, a millisecond later (job ids sort by creation). */
    String submitAndLaunch(JobRequest request) {
        String jobId = intake.submit(OWNER, request, null).jobId();
        clock.advance(java.time.Duration.ofMillis(1));
        launcher.launch(List.of());
        return jobId;
    }

    public Job job(String jobId) {
        return store.stored(jobId);
    }

    /** How many jobs {@code owner} has (up to 100). */
    public int jobsOf(String owner) {
        return store.list(owner, null, null, null, 100).jobs().size();
    }

    String sandboxOf(String jobId) {
        return job(jobId).sandbox().sandboxId();
    }
}
