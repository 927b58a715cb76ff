package dev.e2bjobs.local.stack;

import dev.e2bjobs.local.e2b.LocalE2bSettings;
import java.util.HashMap;
import java.util.Map;

/**
 * How a local stack starts.
 *
 * @param port          the gateway's loopback port (0: a free one)
 * @param s3Port        the S3 emulator's loopback port (0: a free one)
 * @param sweepSeconds  how often the schedule fires the sweep
 * @param maxInstances  per function, instead of its ReservedConcurrentExecutions or the default
 * @param settings      app settings every function instance gets (environment name → value), on top of the stack's own
 * @param e2b           the local E2B server's settings
 * @param s3Deliveries  how many times each S3 notification is delivered (S3 promises at least once)
 */
record StackOptions(int port, int s3Port, int sweepSeconds, Map<String, Integer> maxInstances, Map<String, String> settings,
        LocalE2bSettings e2b, int s3Deliveries) {

    /** For tests: any free ports, a sweep every second, the defaults otherwise. */
    static StackOptions forTests() {
        return new StackOptions(0, 0, 1, Map.of(), Map.of(), LocalE2bSettings.defaults(), 1);
    }

    StackOptions withMaxInstances(String function, int max) {
        Map<String, Integer> all = new HashMap<>(maxInstances);
        all.put(function, max);
        return new StackOptions(port, s3Port, sweepSeconds, all, settings, e2b, s3Deliveries);
    }

    StackOptions withSetting(String environmentName, String value) {
        Map<String, String> all = new HashMap<>(settings);
        all.put(environmentName, value);
        return new StackOptions(port, s3Port, sweepSeconds, maxInstances, all, e2b, s3Deliveries);
    }

    /**
     * A config property for every function, as a system property in JAVA_TOOL_OPTIONS (which Lambda's
     * Java runtimes read too): for what an environment name cannot say, such as a map key with a colon
     * ({@code e2bjobs.quota.per-owner.jwt:alice}). The value may not contain whitespace.
     */
    StackOptions withConfig(String property, String value) {
        if ((property + value).chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("JAVA_TOOL_OPTIONS splits at whitespace: " + property + "=" + value);
        }
        String options = settings.getOrDefault("JAVA_TOOL_OPTIONS", "");
        return withSetting("JAVA_TOOL_OPTIONS", (options.isEmpty() ? "" : options + " ") + "-D" + property + "=" + value);
    }

    /** Retries as the Quarkus tests make them (application.properties, %test): many, and quick. */
    StackOptions withQuickRetries() {
        return withSetting("E2BJOBS_E2B_RETRY_MAX_RETRIES", "8").withSetting("E2BJOBS_E2B_RETRY_INITIAL_DELAY", "50ms")
                .withSetting("E2BJOBS_E2B_RETRY_MAX_DELAY", "400ms").withSetting("E2BJOBS_E2B_RETRY_RETRY_AFTER_CAP", "200ms");
    }

    StackOptions withE2b(LocalE2bSettings settings) {
        return new StackOptions(port, s3Port, sweepSeconds, maxInstances, this.settings, settings, s3Deliveries);
    }

    /** Every S3 notification sent {@code deliveries} times: a function must make one job of them. */
    StackOptions withS3Deliveries(int deliveries) {
        return new StackOptions(port, s3Port, sweepSeconds, maxInstances, settings, e2b, deliveries);
    }
}
