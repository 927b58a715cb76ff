package dev.e2bjobs.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.sandbox.SandboxRateLimitedException;
import dev.e2bjobs.sandbox.SandboxUnavailableException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryAfterBackoffTest {
    private final SandboxUnavailableException unavailable = new SandboxUnavailableException("503", null);

    @Test
    void delaysDoubleWithJitterUpToTheCeiling() {
        RetryAfterBackoff backoff = new RetryAfterBackoff(Duration.ofMillis(800), Duration.ofSeconds(10));
        backoff.init(100);
        long[][] bounds = {{50, 100}, {100, 200}, {200, 400}, {400, 800}, {400, 800}};
        for (long[] bound : bounds) {
            long delay = backoff.nextDelayInMillis(unavailable);
            assertTrue(delay >= bound[0] && delay <= bound[1], delay + " not within " + bound[0] + ".." + bound[1]);
        }
    }

    @Test
    void retryAfterIsHonouredUpToTheCap() {
        RetryAfterBackoff backoff = new RetryAfterBackoff(Duration.ofMillis(800), Duration.ofSeconds(10));
        backoff.init(100);
        assertEquals(3_000, backoff.nextDelayInMillis(new SandboxRateLimitedException("429", Duration.ofSeconds(3))));
        assertEquals(10_000, backoff.nextDelayInMillis(new SandboxRateLimitedException("429", Duration.ofHours(1))));
        long withoutHeader = backoff.nextDelayInMillis(new SandboxRateLimitedException("429", null));
        assertTrue(withoutHeader >= 50 && withoutHeader <= 100, "a 429 without Retry-After backs off like a 503: " + withoutHeader);
    }
}
