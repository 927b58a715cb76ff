package dev.e2bjobs.job;

import dev.e2bjobs.environment.Environment;
import dev.e2bjobs.environment.EnvironmentCache;
import dev.e2bjobs.environment.EnvironmentKey;
import dev.e2bjobs.sandbox.Egress;
import dev.e2bjobs.sandbox.SandboxException;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxNotFoundException;
import dev.e2bjobs.sandbox.SandboxRateLimitedException;
import dev.e2bjobs.sandbox.SandboxRef;
import dev.e2bjobs.sandbox.SandboxSpec;
import dev.e2bjobs.sandbox.SandboxUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * Admits queued jobs, oldest first, into the deployment's sandbox slots (taken in the same atomic
 * write that marks a job STARTING, so racing launchers never hold more than the cap) and starts them,
 * several at once: sandbox, files, runner. A start that fails transiently kills whatever it made and
 * puts the job back in line with a growing wait (E2B's "at capacity" keeps its place and counts no
 * attempt); a start that cannot work, or keeps failing, ends the job.
 */
public class JobLauncher {
    private static final Logger LOG = Logger.getLogger(JobLauncher.class.getName());
    public static final String DEPLOYMENT_KEY = "e2bjobs.deployment";
    public static final String OWNER_KEY = "e2bjobs.owner";
    /** Queued jobs read beyond the free slots, in case other launchers take the first ones. */
    private static final int READ_AHEAD = 8;
    /** After the run time, how long the runner has to write its exit code before the job is overdue. */
    static final Duration RUNNER_GRACE = Duration.ofSeconds(30);

    /** How one start went. */
    public enum Start { STARTED, REQUEUED, FAILED, OVERTAKEN }

    private final JobStore store;
    private final SandboxGateway sandboxes;
    private final ArtifactStore artifacts;
    private final JobEnding ending;
    private final JobSettings settings;
    private final Clock clock;
    private final Executor startExecutor;
    private final FollowTrigger follows;
    private final JobEvents events;
    private final EnvironmentCache environments;

    public JobLauncher(JobStore store, SandboxGateway sandboxes, ArtifactStore artifacts, JobEnding ending, JobSettings settings,
            Clock clock, Executor startExecutor, FollowTrigger follows, JobEvents events, EnvironmentCache environments) {
        this.store = store;
        this.sandboxes = sandboxes;
        this.artifacts = artifacts;
        this.ending = ending;
        this.settings = settings;
        this.clock = clock;
        this.startExecutor = startExecutor;
        this.follows = follows;
        this.events = events;
        this.environments = environments;
    }

    /**
     * Starts as many due queued jobs, oldest first, as there are free slots: their slots are taken in
     * line, then their starts run side by side. {@code justQueued} names jobs the store's queue index
     * may not show yet.
     */
    public LaunchReport launch(List<String> justQueued) {
        List<CompletableFuture<Start>> starts = admit(justQueued).stream()
                .map(job -> CompletableFuture.supplyAsync(() -> start(job), startExecutor)).toList();
        return LaunchReport.of(starts.stream().map(CompletableFuture::join).toList());
    }

    /** QUEUED → STARTING for the oldest due jobs while slots are free, each taking its slot in the same write. */
    private List<Job> admit(List<String> justQueued) {
        int cap = settings.maxConcurrentSandboxes();
        int held = store.slotsHeld();
        int free = cap - held;
        List<Job> admitted = new ArrayList<>();
        for (Job queued : free <= 0 ? List.<Job>of() : due(free + READ_AHEAD, justQueued)) {
            try {
                admitted.add(store.takeSlot(queued.starting(clock.instant().plus(settings.startGrace())), cap));
            } catch (NoFreeSlotException full) {
                break;
            } catch (ConcurrentUpdateException taken) {
                // another launcher started it, or it was cancelled
            }
        }
        events.slots(held + admitted.size(), cap);
        return admitted;
    }

    /** Due queued jobs, oldest first (job ids sort by creation): the store's queue, and the named jobs it may lag behind on. */
    private List<Job> due(int limit, List<String> justQueued) {
        Instant now = clock.instant();
        Map<String, Job> due = new TreeMap<>();
        store.queued(limit, now).forEach(job -> due.put(job.jobId(), job));
        justQueued.stream().filter(id -> !due.containsKey(id)).map(store::find).flatMap(Optional::stream)
                .filter(job -> job.status() == JobStatus.QUEUED && job.backoff().due(now))
                .forEach(job -> due.put(job.jobId(), job));
        return due.values().stream().limit(limit).toList();
    }

    /** A start nobody finished in time (its launcher died): whatever it made is killed, and the job goes back in line. */
    public Start retryOverdue(Job starting) {
        return backOff(starting, "the start did not finish within " + settings.startGrace().toSeconds() + " s", null);
    }

    /**
     * STARTING: read the files back if they wait in the artifact store, create the sandbox and record it;
     * then, for a job that installed its requirements inline, have its environment built for the next ones.
     */
    private Start start(Job job) {
        try (JobEvents.Scope about = events.about(job)) {
            Optional<EnvironmentKey> key = environmentKey(job);
            Optional<Environment> prepared = key.flatMap(environments::readyFor);
            Start started = create(job, key, prepared);
            if (started == Start.STARTED && prepared.isEmpty()) {
                key.ifPresent(environments::buildIfMissing);
            }
            return started;
        }
    }

    /** Jobs with requirements have an environment; its key names the network the install runs under. */
    private Optional<EnvironmentKey> environmentKey(Job job) {
        JobSpec spec = job.spec();
        return spec.dependencies().isEmpty() ? Optional.empty()
                : Optional.of(environments.keyOf(ownerOf(job), spec.template(), spec.dependencies(), settings.egress(spec)));
    }

    private Start create(Job job, Optional<EnvironmentKey> key, Optional<Environment> prepared) {
        JobSpec spec;
        try {
            spec = job.spec().filesKey() == null ? job.spec() : job.spec().withFiles(FileBundle.unpack(artifacts.get(job.spec().filesKey())));
        } catch (RuntimeException e) {
            return backOff(job, "reading the job's files back", e);
        }
        Created created;
        try {
            created = createSandbox(job, prepared);
        } catch (SandboxRateLimitedException e) {
            return requeue(job, job.backoff(), "E2B is at its sandbox cap");
        } catch (SandboxException e) {
            return afterFailure(job, "creating the sandbox", e);
        }
        Job recorded;
        try {
            recorded = store.update(job.withSandbox(created.sandbox(),
                    key.map(madeIn -> new JobEnvironment(madeIn.id(), created.prepared())).orElse(null)));
        } catch (ConcurrentUpdateException e) {
            ending.kill(created.sandbox()); // cancelled, or given up by the sweep, while the sandbox was being created
            return afterLostRace(job);
        }
        try (JobEvents.Scope withSandbox = events.about(recorded)) {
            return startRunner(recorded, spec, created.prepared());
        }
    }

    /** A created sandbox, and whether it was made from the job's cached environment. */
    private record Created(SandboxRef sandbox, boolean prepared) {
    }

    /** From the job's cached environment if it has one; if E2B no longer has its snapshot, the environment goes and a fresh sandbox installs inline. */
    private Created createSandbox(Job job, Optional<Environment> prepared) {
        if (prepared.isPresent()) {
            try {
                return new Created(sandboxes.create(sandboxSpec(job, prepared.get().snapshotId(), settings.preparedEgress(job.spec()))), true);
            } catch (SandboxNotFoundException vanished) {
                LOG.info("job " + job.jobId() + ": environment " + prepared.get().id() + " has no snapshot at E2B any more; installing inline");
                environments.vanished(prepared.get());
            }
        }
        return new Created(sandboxes.create(sandboxSpec(job, job.spec().template(), settings.egress(job.spec()))), false);
    }

    /** STARTING → RUNNING: upload the files, start the runner, record its pid and the job's deadline. */
    private Start startRunner(Job recorded, JobSpec spec, boolean prepared) {
        long runner;
        Runner.Packing packing = Runner.Packing.of(settings);
        try {
            sandboxes.upload(recorded.sandbox(), Runner.files(spec));
            runner = sandboxes.startBackground(recorded.sandbox(), prepared ? Runner.startPrepared(spec, packing)
                    : Runner.start(spec, settings.installTimeoutSeconds(), settings.closesEgressAfterInstall(spec), packing));
        } catch (SandboxException e) {
            return afterFailure(recorded, "starting the runner", e);
        }
        Instant now = clock.instant();
        try {
            Job running = store.update(recorded.running(now, now.plus(settings.runTime(spec)).plus(RUNNER_GRACE), runner));
            events.started(running);
            if (JobFollower.wanted(running)) {
                follows.follow(running.jobId());
            }
            return Start.STARTED;
        } catch (ConcurrentUpdateException e) {
            return Start.OVERTAKEN; // whoever ended or requeued it killed the recorded sandbox
        }
    }

    /** A failed E2B call: transient ones (429, 5xx, timeouts, an open circuit, a lost sandbox) are retried later; the rest end the start. */
    private Start afterFailure(Job job, String doing, SandboxException e) {
        if (e instanceof SandboxRateLimitedException || e instanceof SandboxUnavailableException || e instanceof SandboxNotFoundException) {
            return backOff(job, doing, e);
        }
        return fail(job, FailureCode.START_FAILED, doing + ": " + e.getMessage());
    }

    private SandboxSpec sandboxSpec(Job job, String template, Egress egress) {
        Duration lifetime = settings.runTime(job.spec()).plus(settings.setupMargin());
        return new SandboxSpec(job.jobId(), template, lifetime, job.spec().env(),
                Map.of(DEPLOYMENT_KEY, settings.deployment(), OWNER_KEY, ownerOf(job)), egress);
    }

    /** The owner as sandbox metadata and environment scopes name it: "" for a job without one. */
    private static String ownerOf(Job job) {
        return job.owner() == null ? "" : job.owner();
    }

    /** A transient failure: back in line with a longer wait, or, after too many, the end. */
    private Start backOff(Job job, String doing, RuntimeException cause) {
        Instant now = clock.instant();
        JobSettings.LaunchPolicy policy = settings.launch();
        LaunchBackoff next = job.backoff().afterFailure(now, policy.firstBackoff(), policy.maxBackoff());
        String why = doing + (cause == null ? "" : ": " + cause.getMessage());
        if (next.exhausted(now, policy.maxFailures(), policy.giveUpAfter())) {
            return fail(job, FailureCode.E2B_UNAVAILABLE, why + " (attempt " + next.failures() + ", giving up)");
        }
        return requeue(job, next, why);
    }

    /** Kills what the attempt made, then STARTING → QUEUED with the slot given back in the same write. */
    private Start requeue(Job job, LaunchBackoff backoff, String why) {
        if (job.sandbox() != null && !ending.kill(job.sandbox())) {
            return Start.REQUEUED; // stays STARTING with its sandbox: once overdue, the sweep tries the kill again
        }
        LOG.info("job " + job.jobId() + ": back in line (" + why + ")");
        try {
            store.giveSlotBack(job.requeued(backoff));
            return Start.REQUEUED;
        } catch (ConcurrentUpdateException e) {
            return afterLostRace(job);
        }
    }

    /** The start cannot work: the job ends, and the slot goes back (the attempt made no sandbox but the recorded one). */
    private Start fail(Job job, FailureCode code, String why) {
        Job ended = ending.end(job, j -> j.failed(clock.instant(), code.error(why), JobOutput.NONE));
        if (ended.slotHeld() && ended.sandbox() == null) {
            ending.giveSlotBack(ended);
        }
        return ended.status() == JobStatus.FAILED ? Start.FAILED : Start.OVERTAKEN;
    }

    /**
     * Someone else wrote the job while this start was under way: a cancel (whose end leaves the slot
     * of a job without a recorded sandbox to its starter, now that this one is killed) or the sweep,
     * which put the overdue start back in line.
     */
    private Start afterLostRace(Job job) {
        Job now = store.reload(job);
        if (now.status().isTerminal() && now.slotHeld() && now.sandbox() == null) {
            ending.giveSlotBack(now);
        }
        return Start.OVERTAKEN;
    }
}
