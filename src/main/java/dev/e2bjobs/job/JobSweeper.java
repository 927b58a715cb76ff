package dev.e2bjobs.job;

import dev.e2bjobs.environment.Environment;
import dev.e2bjobs.environment.EnvironmentCache;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxInfo;
import dev.e2bjobs.sandbox.SandboxSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The scheduled sweep, in independent steps (one failing never stops the next): finalize RUNNING
 * jobs nobody looked at, retry starts whose launcher died, finish releasing ended jobs whose sandbox
 * could not be killed at once, launch queued jobs a lost hand-off left waiting, and kill sandboxes of
 * this deployment that no live job holds.
 */
public class JobSweeper {
    private final EnvironmentCache environments;
    private static final Logger LOG = Logger.getLogger(JobSweeper.class.getName());
    /** Jobs holding a slot are at most the cap, plus ended ones whose release is pending. */
    private static final int HOLDING_SCAN = 1000;

    private final JobStore store;
    private final SandboxGateway sandboxes;
    private final JobFinalizer finalizer;
    private final JobLauncher launcher;
    private final JobEnding ending;
    private final JobSettings settings;
    private final Clock clock;
    private final JobEvents events;

    public JobSweeper(JobStore store, SandboxGateway sandboxes, JobFinalizer finalizer, JobLauncher launcher, JobEnding ending,
            JobSettings settings, Clock clock, JobEvents events, EnvironmentCache environments) {
        this.environments = environments;
        this.store = store;
        this.sandboxes = sandboxes;
        this.finalizer = finalizer;
        this.launcher = launcher;
        this.ending = ending;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
    }

    public SweepReport sweep() {
        List<SweepReport.Step> steps = new ArrayList<>();
        List<Job> holding = new ArrayList<>();
        steps.add(step("read-holding", () -> {
            holding.addAll(store.holding(HOLDING_SCAN));
            return holding.size();
        }));
        steps.add(each("finalize", holding, job -> job.status() == JobStatus.RUNNING,
                job -> finalizer.look(job).status().isTerminal()));
        steps.add(each("retry-overdue-starts", holding, job -> job.status() == JobStatus.STARTING && past(job.deadline()),
                job -> launcher.retryOverdue(job) != JobLauncher.Start.OVERTAKEN));
        steps.add(each("release-ended", holding, job -> job.status().isTerminal() && job.slotHeld(), this::release));
        steps.add(step("launch", () -> launcher.launch(List.of()).started()));
        steps.add(step("reap-orphans", () -> reapOrphans(holding)));
        List<Environment> cached = new ArrayList<>();
        steps.add(step("read-environments", () -> {
            cached.addAll(environments.all());
            return cached.size();
        }));
        steps.add(step("finish-builds", () -> environments.finishBuilds(cached)));
        steps.add(step("expire-environments", () -> environments.expire(cached)));
        steps.add(step("measure-queue", this::measureQueue));
        return new SweepReport(steps);
    }

    /** An ended job still holding its slot: kill its sandbox (or, if none was recorded, every sandbox of the job) and give the slot back. */
    private boolean release(Job ended) {
        if (ended.sandbox() != null) {
            return ending.release(ended);
        }
        if (!past(ended.finishedAt().plus(settings.startGrace()))) {
            return false; // its starter may still be killing what it made
        }
        sandboxes.listOwned(Map.of(SandboxSpec.JOB_ID_KEY, ended.jobId())).forEach(sandbox -> sandboxes.kill(sandbox.sandboxId()));
        ending.giveSlotBack(ended);
        return true;
    }

    /**
     * Kills sandboxes of this deployment whose job is over, unknown, or holds another sandbox. The sandbox a
     * job was running in when this sweep read the holding jobs is that job's (a job ending since killed it):
     * only the others cost a read of their job.
     */
    private int reapOrphans(List<Job> holding) {
        Set<String> running = holding.stream().filter(job -> job.status() == JobStatus.RUNNING && job.sandbox() != null)
                .map(job -> job.sandbox().sandboxId()).collect(Collectors.toSet());
        int reaped = 0;
        for (SandboxInfo sandbox : sandboxes.listOwned(Map.of(JobLauncher.DEPLOYMENT_KEY, settings.deployment()))) {
            boolean builder = sandbox.metadata().containsKey(EnvironmentCache.ENVIRONMENT_KEY); // the cache's, until its lease ends
            if (!running.contains(sandbox.sandboxId()) && !builder && reapIfOrphaned(sandbox)) {
                reaped++;
            }
        }
        return reaped;
    }

    /** Kills a sandbox whose job is over, or, once past the start grace, one that no job holds; true if it was killed now. */
    private boolean reapIfOrphaned(SandboxInfo sandbox) {
        String jobId = sandbox.metadata().get(SandboxSpec.JOB_ID_KEY);
        Optional<Job> job = jobId == null ? Optional.empty() : store.find(jobId);
        boolean jobOver = job.map(j -> j.status().isTerminal()).orElse(false);
        boolean notTheJobsSandbox = job.map(j -> j.sandbox() == null || !j.sandbox().sandboxId().equals(sandbox.sandboxId())).orElse(true);
        // a sandbox being created has no job record pointing at it yet: give it time
        boolean old = sandbox.startedAt() == null || past(sandbox.startedAt().plus(settings.startGrace()));
        if ((jobOver || (notTheJobsSandbox && old)) && sandboxes.kill(sandbox.sandboxId())) {
            events.orphanReaped(sandbox.sandboxId(), jobId, jobOver ? "job over" : "no job holds it");
            return true;
        }
        return false;
    }

    /** Tells how long the oldest queued job has waited, backed-off ones included (none waits past the longest backoff). */
    private int measureQueue() {
        Instant now = clock.instant();
        List<Job> oldest = store.queued(1, now.plus(settings.launch().maxBackoff()));
        events.oldestQueued(oldest.isEmpty() ? Duration.ZERO : Duration.between(oldest.get(0).createdAt(), now));
        return oldest.size();
    }

    private boolean past(Instant instant) {
        return instant != null && clock.instant().isAfter(instant);
    }

    /** One step that does one thing; its failure is reported, not thrown. */
    private static SweepReport.Step step(String name, Supplier<Integer> action) {
        try {
            return new SweepReport.Step(name, action.get(), 0, null);
        } catch (RuntimeException e) {
            LOG.warning("sweep: " + name + " failed: " + e);
            return new SweepReport.Step(name, 0, 1, String.valueOf(e.getMessage()));
        }
    }

    /** One step over some jobs; each job's failure is counted, and the step goes on with the next. */
    private SweepReport.Step each(String name, List<Job> jobs, Predicate<Job> applies, Predicate<Job> action) {
        int acted = 0;
        int failed = 0;
        String error = null;
        for (Job job : jobs) {
            if (!applies.test(job)) {
                continue;
            }
            try (JobEvents.Scope about = events.about(job)) {
                acted += action.test(job) ? 1 : 0;
            } catch (RuntimeException e) {
                failed++;
                error = error == null ? "job " + job.jobId() + ": " + e.getMessage() : error;
                LOG.warning("sweep: " + name + ": job " + job.jobId() + ": " + e);
            }
        }
        return new SweepReport.Step(name, acted, failed, error);
    }
}
