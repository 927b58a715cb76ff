package dev.e2bjobs.sandbox;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A sandbox to create.
 *
 * @param jobId                the job the sandbox serves; recorded as metadata {@value #JOB_ID_KEY}
 * @param template             template id or alias
 * @param timeout              lifetime after which the provider kills the sandbox on its own
 * @param envVars              environment of every process in the sandbox
 * @param metadata             further metadata pairs (deployment, owner), used to find the sandbox later
 * @param egress               where sandbox processes may connect to
 */
public record SandboxSpec(String jobId, String template, Duration timeout, Map<String, String> envVars,
        Map<String, String> metadata, Egress egress) {

    public static final String JOB_ID_KEY = "e2bjobs.jobId";

    public SandboxSpec {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(template, "template");
        if (timeout.toSeconds() < 1) {
            throw new IllegalArgumentException("sandbox timeout must be at least one second, got " + timeout);
        }
        envVars = Map.copyOf(envVars);
        metadata = Map.copyOf(metadata);
    }

    /** The metadata the sandbox is created with: the given pairs plus the job id. */
    public Map<String, String> allMetadata() {
        Map<String, String> all = new HashMap<>(metadata);
        all.put(JOB_ID_KEY, jobId);
        return Map.copyOf(all);
    }
}
