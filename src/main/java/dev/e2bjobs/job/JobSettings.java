package dev.e2bjobs.job;

import java.time.Duration;
import java.util.Set;

/**
 * The service's limits and policies (built from configuration; plain values so domain tests can
 * make their own).
 *
 * @param inlineFilesBytes        files up to this total are stored with the job; more go to the artifact store
 * @param maxConcurrentSandboxes  jobs that may hold a sandbox at once; the rest wait QUEUED
 * @param setupMargin             sandbox lifetime beyond install + run time (upload, finalize)
 * @param deployment              tags every sandbox, so the sweep finds exactly ours
 */
public record JobSettings(int maxFiles, int maxFileBytes, int maxTotalBytes, int inlineFilesBytes, int defaultTimeoutSeconds,
        int maxTimeoutSeconds, int installTimeoutSeconds, int maxDependencies, Set<String> templates,
        String defaultTemplate, int maxConcurrentSandboxes, Duration setupMargin, int outputTailBytes,
        int maxInlineResultBytes, long maxArtifactBytes, Duration retention, Duration idempotencyExpiry, Duration startGrace,
        String deployment) {

    public JobSettings {
        templates = Set.copyOf(templates);
    }
}
