package dev.e2bjobs.environment;

import dev.e2bjobs.sandbox.SandboxRef;
import java.time.Duration;
import java.time.Instant;

/**
 * A cached environment: the requirements of a key installed once in a builder sandbox and kept as an
 * E2B snapshot that later jobs with the same key start from.
 *
 * @param builder          the sandbox installing it while BUILDING, else null
 * @param leaseUntil       while BUILDING: when another launcher may take the build over (its builder died)
 * @param retryAt          while FAILED: when the next job with the key may try again
 * @param frozen           what the install added or changed, as {@code pip freeze} lines (name==version)
 * @param sizeBytes        how much the install added to the site-packages directories
 * @param buildLog         the end of the failed install's log
 */
public record Environment(EnvironmentKey key, State state, String snapshotId, SandboxRef builder, String frozen,
        Long sizeBytes, String buildLog, Instant createdAt, Instant lastUsedAt, long hits, Instant leaseUntil, Instant retryAt, int failures) {

    public enum State { BUILDING, READY, FAILED }

    public String id() {
        return key.id();
    }

    /** The first claim of a key. */
    public static Environment building(EnvironmentKey key, Instant now, Duration lease) {
        return new Environment(key, State.BUILDING, null, null, null, null, null, now, now, 0, now.plus(lease), null, 0);
    }

    /** A new build of an environment whose last one failed or was abandoned: its counters stay. */
    public Environment rebuilding(Instant now, Duration lease) {
        return new Environment(key, State.BUILDING, null, null, null, null, null, createdAt, lastUsedAt, hits, now.plus(lease), null, failures);
    }

    public Environment withBuilder(SandboxRef sandbox) {
        return new Environment(key, state, snapshotId, sandbox, frozen, sizeBytes, buildLog, createdAt, lastUsedAt, hits, leaseUntil, retryAt,
                failures);
    }

    public Environment ready(String snapshot, String installed, Long installedBytes, Instant now) {
        return new Environment(key, State.READY, snapshot, null, installed, installedBytes, null, createdAt, now, hits, null, null, 0);
    }

    /** The back-off doubles with each failure in a row, up to {@code maxBackoff}. */
    public Environment failed(String log, Instant now, Duration firstBackoff, Duration maxBackoff) {
        Duration backoff = firstBackoff.multipliedBy(1L << Math.min(20, failures));
        Instant retry = now.plus(backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff);
        return new Environment(key, State.FAILED, null, null, null, null, log, createdAt, lastUsedAt, hits, null, retry, failures + 1);
    }

    /** A job started from it. */
    public Environment used(Instant now) {
        return new Environment(key, state, snapshotId, builder, frozen, sizeBytes, buildLog, createdAt, now, hits + 1, leaseUntil, retryAt,
                failures);
    }

    /** Whether a new build may start: its last one failed and the back-off is over, or its builder was abandoned. */
    public boolean buildableAgain(Instant now) {
        return state == State.FAILED ? !now.isBefore(retryAt) : state == State.BUILDING && !now.isBefore(leaseUntil);
    }
}
