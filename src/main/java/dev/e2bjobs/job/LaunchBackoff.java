package dev.e2bjobs.job;

import java.time.Duration;
import java.time.Instant;

/**
 * How a job's starts have failed so far: after a failure it waits until {@code notBefore}, twice as
 * long after each further one, and gives up after a number of attempts or a span of time.
 *
 * @param failures        failed start attempts (E2B's "at capacity" answers do not count)
 * @param firstFailureAt  when the first of them failed, or null
 * @param notBefore       the next attempt waits until then, or null
 */
public record LaunchBackoff(int failures, Instant firstFailureAt, Instant notBefore) {
    public static final LaunchBackoff NONE = new LaunchBackoff(0, null, null);

    /** The backoff after one more failed attempt at {@code now}. */
    public LaunchBackoff afterFailure(Instant now, Duration first, Duration max) {
        Duration wait = first.multipliedBy(1L << Math.min(failures, 20));
        return new LaunchBackoff(failures + 1, firstFailureAt == null ? now : firstFailureAt,
                now.plus(wait.compareTo(max) > 0 ? max : wait));
    }

    /** Whether a job with this backoff has failed to start often or long enough to give up. */
    public boolean exhausted(Instant now, int maxFailures, Duration giveUpAfter) {
        return failures >= maxFailures || (firstFailureAt != null && !now.isBefore(firstFailureAt.plus(giveUpAfter)));
    }

    public boolean due(Instant now) {
        return notBefore == null || !now.isBefore(notBefore);
    }
}
