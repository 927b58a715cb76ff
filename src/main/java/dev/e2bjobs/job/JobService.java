package dev.e2bjobs.job;

import dev.e2bjobs.sandbox.FileEntry;
import dev.e2bjobs.sandbox.FileTail;
import dev.e2bjobs.sandbox.SandboxException;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxInfo;
import dev.e2bjobs.sandbox.SandboxNotFoundException;
import dev.e2bjobs.sandbox.SandboxRateLimitedException;
import dev.e2bjobs.sandbox.SandboxRef;
import dev.e2bjobs.sandbox.SandboxSpec;
import dev.e2bjobs.sandbox.SandboxUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The job lifecycle: submit (validate, dedupe, queue, admit), status (finalize when the runner has
 * written its exit code), cancel, and the sweep. Each transition is a conditional write, so
 * concurrent invocations finish a job exactly once; a sandbox is killed after its job is terminal.
 */
public class JobService {
    private static final Logger LOG = Logger.getLogger(JobService.class.getName());
    public static final String DEPLOYMENT_KEY = "e2bjobs.deployment";
    public static final String OWNER_KEY = "e2bjobs.owner";
    /** Starts one call may perform for older queued jobs; the sweep starts the rest. */
    private static final int STARTS_PER_CALL = 5;
    private static final int ACTIVE_SCAN = 1000;
    private static final int SWEEP_JOBS = 200;
    /** Waiting for a job: look again after 50 ms, then twice as long each time, up to a second. */
    private static final Duration FIRST_POLL = Duration.ofMillis(50);
    private static final Duration MAX_POLL = Duration.ofSeconds(1);

    private final JobStore store;
    private final SandboxGateway sandboxes;
    private final ArtifactStore artifacts;
    private final JobSettings settings;
    private final JobValidator validator;
    private final Clock clock;

    public JobService(JobStore store, SandboxGateway sandboxes, ArtifactStore artifacts, JobSettings settings, Clock clock) {
        this.store = store;
        this.sandboxes = sandboxes;
        this.artifacts = artifacts;
        this.settings = settings;
        this.validator = new JobValidator(settings);
        this.clock = clock;
    }

    /**
     * Queues a job and starts it if a sandbox slot is free. With an idempotency key, a repeat of the
     * same payload gets the first job back; another payload under the key is a conflict. With a
     * wait, returns as soon as the job is terminal or the wait is over.
     */
    public JobView submit(String owner, JobRequest request, String idempotencyKey, Duration wait) {
        return accept(owner, validator.validate(request), idempotencyKey, wait);
    }

    private JobView accept(String owner, JobSpec validated, String idempotencyKey, Duration wait) {
        Instant now = clock.instant();
        String jobId = JobIds.next(now);
        String payloadHash = SpecHash.of(validated);
        // a queued job waits in one DynamoDB item; files that would not fit it wait in the artifact store
        JobSpec spec = validated.totalFileBytes() <= settings.inlineFilesBytes() ? validated
                : validated.withFilesStoredAt(artifacts.put(jobId, Runner.BUNDLE, FileBundle.pack(validated.files())));
        if (idempotencyKey != null) {
            IdempotencyRecord claim = new IdempotencyRecord(owner, idempotencyKey, payloadHash, jobId, false,
                    now.plus(Duration.ofMinutes(1)), now.plus(settings.idempotencyExpiry()));
            Optional<IdempotencyRecord> earlier = store.claim(claim);
            if (earlier.isPresent()) {
                return repeat(owner, earlier.get(), claim.payloadHash(), wait);
            }
            try {
                store.create(Job.queued(jobId, owner, spec, now));
            } catch (RuntimeException e) {
                store.release(claim);
                throw e;
            }
            store.complete(claim);
        } else {
            store.create(Job.queued(jobId, owner, spec, now));
        }
        admitQueued();
        return awaitTerminal(owner, jobId, wait);
    }

    private JobView repeat(String owner, IdempotencyRecord earlier, String payloadHash, Duration wait) {
        if (!earlier.payloadHash().equals(payloadHash)) {
            throw new JobRejectedException(JobRejectedException.Kind.CONFLICT, "IDEMPOTENCY_KEY_REUSED",
                    "Idempotency-Key '" + earlier.key() + "' was used for a different job");
        }
        if (!earlier.completed()) {
            throw new JobRejectedException(JobRejectedException.Kind.CONFLICT, "REQUEST_IN_PROGRESS",
                    "a request with Idempotency-Key '" + earlier.key() + "' is still being served; retry shortly");
        }
        return awaitTerminal(owner, earlier.jobId(), wait);
    }

    /** Submits several jobs; all are validated before any is stored. */
    public List<JobView> submitBatch(String owner, List<JobRequest> requests) {
        if (requests == null || requests.isEmpty() || requests.size() > 20) {
            throw JobRejectedException.invalid("BATCH_SIZE", "a batch holds 1..20 jobs");
        }
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            try {
                specs.add(validator.validate(requests.get(i)));
            } catch (JobRejectedException e) {
                throw JobRejectedException.invalid(e.code(), "jobs[" + i + "]: " + e.getMessage());
            }
        }
        return specs.stream().map(spec -> accept(owner, spec, null, Duration.ZERO)).toList();
    }

    /** A job's current view; a RUNNING job whose runner has finished is finalized first. */
    public JobView status(String owner, String jobId) {
        Job job = owned(owner, jobId);
        Job now = refresh(job);
        if (now.status().isTerminal() && !job.status().isTerminal()) {
            admitQueued(); // its slot is free
        }
        return view(now);
    }

    public JobList list(String owner, JobStatus status, String label, String cursor, int limit) {
        JobStore.JobPage page = store.list(owner, status, label, cursor, Math.max(1, Math.min(limit, 100)));
        return new JobList(page.jobs().stream().map(this::view).toList(), page.nextCursor());
    }

    private JobView view(Job job) {
        return JobView.of(job, artifacts::link);
    }

    /** Cancels a job that has not finished; cancelling a finished job changes nothing. */
    public JobView cancel(String owner, String jobId) {
        Job job = owned(owner, jobId);
        while (!job.status().isTerminal()) {
            Instant now = clock.instant();
            try {
                job = store.update(job.with(b -> {
                    b.status = JobStatus.CANCELLED;
                    b.finishedAt = now;
                    b.error = new JobError("CANCELLED", "cancelled on request");
                }));
                killSandboxOf(job);
                admitQueued();
            } catch (ConcurrentUpdateException e) {
                job = reload(job);
            }
        }
        return view(job);
    }

    /**
     * Finalizes finished jobs nobody polled, times out and fails stuck ones, starts queued jobs, and
     * kills sandboxes of ours whose job is over, unknown, or holds another sandbox.
     */
    public SweepReport sweep() {
        int examined = 0;
        int finalized = 0;
        int timedOut = 0;
        int startFailures = 0;
        int errors = 0;
        Instant now = clock.instant();
        for (Job job : store.active(SWEEP_JOBS)) {
            examined++;
            try {
                if (job.status() == JobStatus.RUNNING) {
                    Job after = refresh(job);
                    if (after.status() == JobStatus.TIMED_OUT) {
                        timedOut++;
                    } else if (after.status().isTerminal()) {
                        finalized++;
                    }
                } else if (job.status() == JobStatus.STARTING && overdue(job)) {
                    finish(job, JobStatus.FAILED, b -> b.error = new JobError(FailureCode.START_FAILED.name(),
                            "the job did not finish starting within " + settings.startGrace().toSeconds() + " s"));
                    startFailures++;
                }
            } catch (RuntimeException e) {
                errors++;
                LOG.warning("sweep: job " + job.jobId() + ": " + e);
            }
        }
        int started = admitQueued();
        int reaped = 0;
        try {
            reaped = reapOrphans(now);
        } catch (SandboxException e) {
            errors++;
            LOG.warning("sweep: listing sandboxes failed: " + e.getMessage());
        }
        return new SweepReport(examined, finalized, timedOut, startFailures, started, reaped, errors);
    }

    private int reapOrphans(Instant now) {
        int reaped = 0;
        for (SandboxInfo sandbox : sandboxes.listOwned(Map.of(DEPLOYMENT_KEY, settings.deployment()))) {
            String jobId = sandbox.metadata().get(SandboxSpec.JOB_ID_KEY);
            Optional<Job> job = jobId == null ? Optional.empty() : store.find(jobId);
            boolean jobOver = job.map(j -> j.status().isTerminal()).orElse(false);
            boolean notTheJobsSandbox = job.map(j -> j.sandbox() == null || !j.sandbox().sandboxId().equals(sandbox.sandboxId()))
                    .orElse(true);
            // a sandbox being created has no job record pointing at it yet: give it time
            boolean old = sandbox.startedAt() == null || sandbox.startedAt().plus(settings.startGrace()).isBefore(now);
            if (jobOver || (notTheJobsSandbox && old)) {
                LOG.info("sweep: killing sandbox " + sandbox.sandboxId() + " of job " + jobId
                        + (jobOver ? " (job is over)" : " (no job holds it)"));
                if (sandboxes.kill(sandbox.sandboxId())) {
                    reaped++;
                }
            }
        }
        return reaped;
    }

    /** Starts queued jobs, oldest first, while sandbox slots are free; returns how many started. */
    int admitQueued() {
        List<Job> active = store.active(ACTIVE_SCAN);
        long holding = active.stream().filter(job -> job.status().holdsSandbox()).count();
        int started = 0;
        for (Job job : active) {
            if (holding >= settings.maxConcurrentSandboxes() || started >= STARTS_PER_CALL) {
                break;
            }
            if (job.status() == JobStatus.QUEUED) {
                if (start(job)) {
                    started++;
                }
                holding++;
            }
        }
        return started;
    }

    /** QUEUED → STARTING → RUNNING; any failure ends the job truthfully and kills its sandbox. */
    private boolean start(Job queued) {
        Job job;
        try {
            Instant giveUpAt = clock.instant().plus(settings.startGrace());
            job = store.update(queued.with(b -> {
                b.status = JobStatus.STARTING;
                b.deadline = giveUpAt; // the sweep fails a start that has not finished by then
            }));
        } catch (ConcurrentUpdateException e) {
            return false; // someone else started or cancelled it
        }
        JobSpec spec;
        try {
            spec = job.spec().filesKey() == null ? job.spec()
                    : job.spec().withFiles(FileBundle.unpack(artifacts.get(job.spec().filesKey())));
        } catch (RuntimeException e) {
            finish(job, JobStatus.FAILED, b -> b.error = new JobError(FailureCode.START_FAILED.name(),
                    "the job's files could not be read back: " + e.getMessage()));
            return false;
        }
        SandboxRef sandbox;
        try {
            sandbox = sandboxes.create(sandboxSpec(job));
        } catch (SandboxRateLimitedException e) {
            // E2B's concurrency cap: wait in the queue for a slot
            tryWrite(job, b -> b.status = JobStatus.QUEUED);
            return false;
        } catch (SandboxException e) {
            finish(job, JobStatus.FAILED, failure(e, "creating the sandbox"));
            return false;
        }
        try {
            job = store.update(job.with(b -> b.sandbox = sandbox));
        } catch (ConcurrentUpdateException e) {
            kill(sandbox.sandboxId()); // cancelled while the sandbox was being created
            return false;
        }
        try {
            sandboxes.upload(sandbox, Runner.files(spec));
            sandboxes.startBackground(sandbox, Runner.command(spec, settings.installTimeoutSeconds()));
        } catch (SandboxException e) {
            finish(job, JobStatus.FAILED, failure(e, "starting the job"));
            return false;
        }
        Instant now = clock.instant();
        Instant deadline = now.plus(runTime(job.spec())).plus(Duration.ofSeconds(30));
        try {
            // the files are in the sandbox now; the stored spec keeps the rest
            store.update(job.with(b -> {
                b.status = JobStatus.RUNNING;
                b.startedAt = now;
                b.deadline = deadline;
                b.spec = b.spec.withFiles(List.of());
            }));
        } catch (ConcurrentUpdateException e) {
            kill(sandbox.sandboxId()); // cancelled while starting
        }
        return true;
    }

    /** The longest a started job may take: installing its requirements, then running its command. */
    private Duration runTime(JobSpec spec) {
        return Duration.ofSeconds(settings.installTimeoutSeconds() + spec.timeoutSeconds());
    }

    private SandboxSpec sandboxSpec(Job job) {
        Duration lifetime = runTime(job.spec()).plus(settings.setupMargin());
        return new SandboxSpec(job.jobId(), job.spec().template(), lifetime, job.spec().env(),
                Map.of(DEPLOYMENT_KEY, settings.deployment(), OWNER_KEY, job.owner() == null ? "" : job.owner()), false);
    }

    /** For a RUNNING job: finalize it if the runner wrote its exit code, its sandbox is gone, or it is overdue. */
    private Job refresh(Job job) {
        if (job.status() != JobStatus.RUNNING) {
            return job;
        }
        Optional<byte[]> exitCode;
        try {
            exitCode = sandboxes.readFile(job.sandbox(), Runner.EXIT_CODE);
        } catch (SandboxNotFoundException e) {
            return finish(job, JobStatus.FAILED, b -> b.error = new JobError(FailureCode.SANDBOX_LOST.name(),
                    "the sandbox disappeared before the job's exit code was written"));
        } catch (SandboxException e) {
            return overdue(job) ? timeOut(job) : job; // try again on the next look
        }
        if (exitCode.isPresent()) {
            return finalizeFinished(job, Runner.Outcome.parse(exitCode.get()));
        }
        return overdue(job) ? timeOut(job) : job;
    }

    private boolean overdue(Job job) {
        return job.deadline() != null && clock.instant().isAfter(job.deadline());
    }

    private Job timeOut(Job job) {
        return finish(job, JobStatus.TIMED_OUT, b -> b.error = new JobError("TIMED_OUT",
                "no exit code by the deadline (" + job.spec().timeoutSeconds() + " s run time)"));
    }

    private Job finalizeFinished(Job job, Runner.Outcome outcome) {
        SandboxRef sandbox = job.sandbox();
        try {
            boolean installFailed = outcome.phase().equals("install");
            OutputTail stdout = tail(sandbox, Runner.STDOUT);
            OutputTail stderr = tail(sandbox, installFailed ? Runner.INSTALL_LOG : Runner.STDERR);
            List<ResultFile> results = installFailed ? List.of() : results(job);
            Verdict verdict = verdict(job, outcome);
            return finish(job, verdict.status(), b -> {
                b.exitCode = outcome.exitCode();
                b.stdout = stdout;
                b.stderr = stderr;
                b.results = results;
                b.error = verdict.error();
            });
        } catch (SandboxNotFoundException e) {
            return finish(job, JobStatus.FAILED, b -> b.error = new JobError(FailureCode.SANDBOX_LOST.name(),
                    "the sandbox disappeared while the results were read"));
        } catch (SandboxException e) {
            return job; // results could not be read now; the next status call or sweep tries again
        }
    }

    /** How a job ended, by the runner's word. */
    private record Verdict(JobStatus status, JobError error) {
    }

    private static Verdict verdict(Job job, Runner.Outcome outcome) {
        int code = outcome.exitCode();
        return switch (outcome.phase()) {
            case "command" -> code == 0 ? new Verdict(JobStatus.SUCCEEDED, null)
                    : new Verdict(JobStatus.FAILED, new JobError(FailureCode.EXIT_NONZERO.name(), "the command exited with " + code));
            case "install" -> new Verdict(JobStatus.FAILED, new JobError(FailureCode.INSTALL_FAILED.name(), "pip install exited with " + code));
            case "timeout" -> new Verdict(JobStatus.TIMED_OUT,
                    new JobError("TIMED_OUT", "the command ran longer than " + job.spec().timeoutSeconds() + " s"));
            default -> new Verdict(JobStatus.FAILED, new JobError(FailureCode.START_FAILED.name(), "the runner could not run the command"));
        };
    }

    private OutputTail tail(SandboxRef sandbox, String path) {
        return sandboxes.readFileTail(sandbox, path, settings.outputTailBytes())
                .map(t -> new OutputTail(new String(t.bytes(), StandardCharsets.UTF_8), t.truncated()))
                .orElse(OutputTail.EMPTY);
    }

    private List<ResultFile> results(Job job) {
        String prefix = Runner.WORKDIR + "/";
        List<ResultFile> results = new ArrayList<>();
        long budget = settings.maxInlineResultBytes();
        for (String resultPath : job.spec().resultPaths()) {
            List<FileEntry> entries = resultPath.endsWith("/")
                    ? sandboxes.listFiles(job.sandbox(), prefix + resultPath.substring(0, resultPath.length() - 1))
                    : List.of(new FileEntry(prefix + resultPath, resultPath, FileEntry.Type.FILE, -1));
            for (FileEntry entry : entries) {
                String relative = entry.path().startsWith(prefix) ? entry.path().substring(prefix.length()) : entry.path();
                if (entry.size() > settings.maxArtifactBytes()) {
                    results.add(ResultFile.omitted(relative, entry.size()));
                    continue;
                }
                Optional<byte[]> content = sandboxes.readFile(job.sandbox(), entry.path());
                if (content.isEmpty()) {
                    continue; // a named result file the job did not write
                }
                byte[] bytes = content.get();
                if (bytes.length <= budget) {
                    budget -= bytes.length;
                    results.add(ResultFile.inline(relative, bytes));
                } else if (bytes.length <= settings.maxArtifactBytes()) {
                    results.add(store(job, relative, bytes));
                } else {
                    results.add(ResultFile.omitted(relative, bytes.length));
                }
            }
        }
        return results;
    }

    /** A large result kept as an artifact; if it cannot be stored now, it is listed by size only. */
    private ResultFile store(Job job, String path, byte[] bytes) {
        try {
            return ResultFile.stored(path, bytes.length, artifacts.put(job.jobId(), path, bytes));
        } catch (RuntimeException e) {
            LOG.warning("job " + job.jobId() + ": could not store result " + path + " (" + e + "); listing it by size only");
            return ResultFile.omitted(path, bytes.length);
        }
    }

    /**
     * Writes a terminal state (once: a concurrent writer that got there first wins, and its result
     * is returned), then kills the sandbox.
     */
    private Job finish(Job job, JobStatus status, Consumer<Job.Builder> changes) {
        Instant now = clock.instant();
        Job done;
        try {
            done = store.update(job.with(b -> {
                changes.accept(b);
                b.status = status;
                b.finishedAt = now;
            }));
        } catch (ConcurrentUpdateException e) {
            done = reload(job);
        }
        killSandboxOf(done);
        return done;
    }

    private void tryWrite(Job job, Consumer<Job.Builder> changes) {
        try {
            store.update(job.with(changes));
        } catch (ConcurrentUpdateException e) {
            // whoever wrote first decided
        }
    }

    private void killSandboxOf(Job job) {
        if (job.status().isTerminal() && job.sandbox() != null) {
            kill(job.sandbox().sandboxId());
        }
    }

    /** Best effort: a sandbox that cannot be killed now is found and killed by the sweep. */
    private void kill(String sandboxId) {
        try {
            sandboxes.kill(sandboxId);
        } catch (SandboxException e) {
            LOG.warning("could not kill sandbox " + sandboxId + " now (" + e.getMessage() + "); the sweep will");
        }
    }

    private static Consumer<Job.Builder> failure(SandboxException e, String doing) {
        FailureCode code = e instanceof SandboxNotFoundException ? FailureCode.SANDBOX_LOST
                : e instanceof SandboxUnavailableException ? FailureCode.E2B_UNAVAILABLE : FailureCode.START_FAILED;
        return b -> b.error = new JobError(code.name(), doing + ": " + e.getMessage());
    }

    private Job owned(String owner, String jobId) {
        return store.find(jobId).filter(job -> owner.equals(job.owner())).orElseThrow(() -> JobRejectedException.notFound(jobId));
    }

    private Job reload(Job job) {
        return store.find(job.jobId()).orElseThrow(() -> new IllegalStateException("job " + job.jobId() + " vanished"));
    }

    private JobView awaitTerminal(String owner, String jobId, Duration wait) {
        Instant until = clock.instant().plus(wait == null ? Duration.ZERO : wait);
        JobView view = status(owner, jobId);
        Duration pause = FIRST_POLL;
        while (!view.status().isTerminal() && clock.instant().isBefore(until)) {
            try {
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            view = status(owner, jobId);
        }
        return view;
    }
}
