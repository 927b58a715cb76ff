package dev.e2bjobs.job;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Settings for domain tests: the product's defaults, with small result budgets to exercise every branch. */
public final class TestSettings {
    static final JobSettings.LaunchPolicy LAUNCH =
            new JobSettings.LaunchPolicy(4, 3, Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(60));
    static final JobSettings.Quota QUOTA = new JobSettings.Quota(5, java.util.Map.of("big-owner", 50));
    /** Callbacks: 3 attempts, no wait between them (the notifier's backoff is real sleep); "hooked" calls back by default. */
    static final JobSettings.Webhooks WEBHOOKS = new JobSettings.Webhooks(3, Duration.ZERO,
            java.util.Map.of("hooked", "https://hooks.example.com/default"));
    public static final JobSettings DEFAULTS = withCap(20);

    private TestSettings() {
    }

    /**
     * {@code cap} sandbox slots; inline files up to 20 bytes; output tails of 8 bytes; 10 inline result
     * bytes; artifacts up to 100 bytes; 5 unfinished jobs per owner (50 for "big-owner").
     */
    static JobSettings withCap(int cap) {
        return settings(cap, 8);
    }

    /** The defaults with output tails of {@code bytes}, for logs whose lines matter whole. */
    static JobSettings withOutputTail(int bytes) {
        return settings(20, bytes);
    }

    private static JobSettings settings(int cap, int outputTailBytes) {
        return new JobSettings(200, 262_144, 307_200, 20, 300, 3300, 300, 50, Set.of("base", "code-interpreter-v1"), "base", cap,
                Duration.ofMinutes(2), outputTailBytes, 10, 100, Duration.ofHours(24), Duration.ofMinutes(3), LAUNCH, QUOTA, List.of("pypi.org", "files.pythonhosted.org"),
                WEBHOOKS, "test");
    }
}
