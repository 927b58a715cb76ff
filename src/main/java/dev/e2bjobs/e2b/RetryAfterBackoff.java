package dev.e2bjobs.e2b;

import dev.e2bjobs.sandbox.SandboxRateLimitedException;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Backoff between attempts: E2B's Retry-After when it sent one (up to a cap), otherwise exponential
 * with jitter, so that many invocations throttled at once do not come back at once.
 */
final class RetryAfterBackoff implements CustomBackoffStrategy {
    private final long maxDelayMillis;
    private final long retryAfterCapMillis;
    private long nextMillis;

    RetryAfterBackoff(Duration maxDelay, Duration retryAfterCap) {
        this.maxDelayMillis = maxDelay.toMillis();
        this.retryAfterCapMillis = retryAfterCap.toMillis();
    }

    @Override
    public void init(long initialDelayInMillis) {
        nextMillis = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        if (cause instanceof SandboxRateLimitedException limited && limited.retryAfter().isPresent()) {
            return Math.min(limited.retryAfter().get().toMillis(), retryAfterCapMillis);
        }
        long base = nextMillis;
        nextMillis = Math.min(nextMillis * 2, maxDelayMillis);
        // "equal jitter": half the delay fixed, half random
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }
}
