package dev.e2bjobs.job;

import dev.e2bjobs.sandbox.SandboxException;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxRef;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * How every job ends, whoever ends it (finalize, cancel, a failed start, the sweep): one terminal
 * write (racing enders agree on the first), then its sandbox is killed and, once the sandbox is known
 * to be gone, its slot is given back and a launch is asked for. A kill that fails now leaves the slot
 * held; the sweep finishes the release later, so a slot is never given back while its sandbox runs.
 */
public class JobEnding {
    private static final Logger LOG = Logger.getLogger(JobEnding.class.getName());

    private final JobStore store;
    private final SandboxGateway sandboxes;
    private final LaunchTrigger launches;
    private final CallbackTrigger callbacks;
    private final ResultsExport exports;
    private final JobSettings settings;
    private final Clock clock;
    private final JobEvents events;

    public JobEnding(JobStore store, SandboxGateway sandboxes, LaunchTrigger launches, CallbackTrigger callbacks, ResultsExport exports,
            JobSettings settings, Clock clock, JobEvents events) {
        this.store = store;
        this.sandboxes = sandboxes;
        this.launches = launches;
        this.callbacks = callbacks;
        this.exports = exports;
        this.settings = settings;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Ends the job with {@code transition}, unless another invocation ended it first (then its end
     * stands) or moved it where this end does not apply (a start the sweep put back in line); then
     * releases what the job holds, and the one that wrote the end writes its status to the bucket (if
     * it asked for that) and hands its callback on. Returns the job as stored.
     */
    public Job end(Job job, UnaryOperator<Job> transition) {
        try (JobEvents.Scope about = events.about(job)) {
            return endOnce(job, transition);
        }
    }

    private Job endOnce(Job job, UnaryOperator<Job> transition) {
        Job current = job;
        Job next = transition.apply(current);
        while (true) {
            try {
                current = store.end(next);
                break;
            } catch (ConcurrentUpdateException e) {
                current = store.reload(current);
                if (!current.status().next().contains(next.status())) {
                    release(current);
                    return current;
                }
                next = transition.apply(current);
            }
        }
        events.ended(current);
        release(current);
        if (ResultsExport.wanted(current)) {
            exports.status(current);
        }
        if (current.spec().callbackUrl() != null) {
            callbacks.trigger(current.jobId());
        }
        return current;
    }

    /**
     * Kills an ended job's recorded sandbox and gives its slot back; false if E2B cannot be told now
     * (the sweep tries again later) or there is nothing to release.
     */
    public boolean release(Job ended) {
        if (ended.slotHeld() && ended.sandbox() != null && (kill(ended.sandbox()) || sandboxSurelyGone(ended))) {
            giveSlotBack(ended);
            return true;
        }
        return false;
    }

    /** Gives back the slot of an ended job whose sandbox is gone (killed, expired, or never made). */
    public void giveSlotBack(Job ended) {
        Job current = ended;
        while (current.slotHeld()) {
            try {
                store.giveSlotBack(current.withSlotGivenBack());
                launchIfAnyoneWaits();
                return;
            } catch (ConcurrentUpdateException e) {
                current = store.reload(current); // another ender gave it back first
            }
        }
    }

    /** A freed slot is worth a launch only if a job waits for it (most ends find the queue empty). */
    private void launchIfAnyoneWaits() {
        if (!store.queued(1, clock.instant()).isEmpty()) {
            launches.trigger("a sandbox slot was given back", List.of());
        }
    }

    /** Kills a sandbox: true once it is gone (killed now or before), false if E2B could not be told. */
    public boolean kill(SandboxRef sandbox) {
        try {
            sandboxes.kill(sandbox.sandboxId());
            return true;
        } catch (SandboxException e) {
            LOG.warning("could not kill sandbox " + sandbox.sandboxId() + " now (" + e.getMessage() + "); the sweep will");
            return false;
        }
    }

    /** Whether a started job's sandbox has outlived its own lifetime, after which E2B has removed it. */
    public boolean sandboxSurelyGone(Job job) {
        return job.startedAt() != null && job.deadline() != null
                && clock.instant().isAfter(job.deadline().plus(settings.setupMargin()));
    }
}
