package dev.e2bjobs.job;

import java.time.Duration;
import java.util.Set;

/**
 * The service's limits and policies (built from configuration; plain values so domain tests can
 * make their own).
 *
 * @param inlineFilesBytes        files up to this total are stored with the job; more go to the artifact store
 * @param maxConcurrentSandboxes  sandbox slots: jobs that may hold a sandbox at once; the rest wait QUEUED
 * @param setupMargin             sandbox lifetime beyond install + run time (upload, finalize)
 * @param startGrace              a start (create, upload, runner start) not done by then is given up
 * @param deployment              tags every sandbox, so the sweep finds exactly ours
 */
public record JobSettings(int maxFiles, int maxFileBytes, int maxTotalBytes, int inlineFilesBytes, int defaultTimeoutSeconds,
        int maxTimeoutSeconds, int installTimeoutSeconds, int maxDependencies, Set<String> templates,
        String defaultTemplate, int maxConcurrentSandboxes, Duration setupMargin, int outputTailBytes,
        int maxInlineResultBytes, long maxArtifactBytes, Duration idempotencyExpiry, Duration startGrace,
        LaunchPolicy launch, String deployment) {

    public JobSettings {
        templates = Set.copyOf(templates);
    }

    /**
     * How queued jobs are started.
     *
     * @param parallelism   starts one launch runs at once
     * @param maxFailures   failed start attempts after which a job ends FAILED / E2B_UNAVAILABLE
     * @param giveUpAfter   ... or the time after its first failed attempt after which it does
     * @param firstBackoff  the wait after the first failed attempt; it doubles after each further one
     * @param maxBackoff    the longest wait between attempts
     */
    public record LaunchPolicy(int parallelism, int maxFailures, Duration giveUpAfter, Duration firstBackoff, Duration maxBackoff) {
    }

    /** The longest a started job may take: installing its requirements (if it has any), then running its command. */
    public Duration runTime(JobSpec spec) {
        return Duration.ofSeconds((spec.dependencies().isEmpty() ? 0 : installTimeoutSeconds) + spec.timeoutSeconds());
    }
}
