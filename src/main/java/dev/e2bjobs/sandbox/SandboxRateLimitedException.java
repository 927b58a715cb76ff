package dev.e2bjobs.sandbox;

import java.time.Duration;
import java.util.Optional;

/**
 * The provider refused the call for now (429): a rate limit or the concurrent-sandbox cap. Retried,
 * honouring the provider's Retry-After, before it reaches a caller.
 */
public class SandboxRateLimitedException extends SandboxException {
    private final Duration retryAfter;

    public SandboxRateLimitedException(String message, Duration retryAfter) {
        super(message, null);
        this.retryAfter = retryAfter;
    }

    /** How long the provider asked us to wait, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
