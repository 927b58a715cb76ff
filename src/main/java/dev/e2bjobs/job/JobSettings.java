package dev.e2bjobs.job;

import java.time.Duration;
import dev.e2bjobs.sandbox.Egress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service's limits and policies (built from configuration; plain values so domain tests can
 * make their own).
 *
 * @param inlineFilesBytes        files up to this total are stored with the job; more go to the artifact store
 * @param maxConcurrentSandboxes  sandbox slots: jobs that may hold a sandbox at once; the rest wait QUEUED
 * @param setupMargin             sandbox lifetime beyond install + run time (upload, finalize)
 * @param startGrace              a start (create, upload, runner start) not done by then is given up
 * @param packageIndexHosts       the only hosts a job with dependencies and without internet may reach
 * @param deployment              tags every sandbox, so the sweep finds exactly ours
 */
public record JobSettings(int maxFiles, int maxFileBytes, int maxTotalBytes, int inlineFilesBytes, int defaultTimeoutSeconds,
        int maxTimeoutSeconds, int installTimeoutSeconds, int maxDependencies, Set<String> templates,
        String defaultTemplate, int maxConcurrentSandboxes, Duration setupMargin, int outputTailBytes,
        int maxInlineResultBytes, long maxArtifactBytes, Duration idempotencyExpiry, Duration startGrace,
        LaunchPolicy launch, Quota quota, List<String> packageIndexHosts, Webhooks webhooks, String deployment) {

    public JobSettings {
        templates = Set.copyOf(templates);
        packageIndexHosts = List.copyOf(packageIndexHosts);
    }

    /**
     * Where a job's sandbox may connect when it is created: anywhere if the job asked for the internet,
     * else the package index if it installs dependencies (until {@link #closesEgressAfterInstall}), else nowhere.
     */
    public Egress egress(JobSpec spec) {
        return spec.internet() ? Egress.ANYWHERE : spec.dependencies().isEmpty() ? Egress.NONE : Egress.only(packageIndexHosts);
    }

    /** Where a sandbox made from the job's cached environment may connect: it installs nothing, so no index. */
    public Egress preparedEgress(JobSpec spec) {
        return spec.internet() ? Egress.ANYWHERE : Egress.NONE;
    }

    /** Whether the package index is the install's alone: the sandbox loses it before the job's own code runs. */
    public boolean closesEgressAfterInstall(JobSpec spec) {
        return !spec.internet() && !spec.dependencies().isEmpty();
    }

    /**
     * Completion callbacks.
     *
     * @param maxAttempts   POSTs per callback at most (5xx, 429 and network errors are retried)
     * @param firstBackoff  the wait before the first retry; it doubles with each
     * @param perOwner      owner → its default callback URL, for jobs that name none
     */
    public record Webhooks(int maxAttempts, Duration firstBackoff, Map<String, String> perOwner) {

        public Webhooks {
            perOwner = Map.copyOf(perOwner);
        }
    }

    /**
     * How many unfinished (queued, starting, running) jobs an owner may have at once.
     *
     * @param maxUnfinished  every owner's, unless overridden
     * @param perOwner       owner → its own number
     */
    public record Quota(int maxUnfinished, Map<String, Integer> perOwner) {

        public Quota {
            perOwner = Map.copyOf(perOwner);
        }

        public int of(String owner) {
            return perOwner.getOrDefault(owner, maxUnfinished);
        }
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
