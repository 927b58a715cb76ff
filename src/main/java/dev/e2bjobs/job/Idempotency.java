package dev.e2bjobs.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The Idempotency-Key protocol, in one place (after Powertools for AWS Lambda): a request claims its
 * key with the ids of the jobs it is about to create; a repeat of the same payload gets those jobs
 * back, another payload is a conflict, and a repeat while the first is still served is told to retry.
 * A request that fails abandons its claim, keeping the job ids, so the retry that takes the claim
 * over creates exactly the jobs the failed one may have created: never a second set.
 */
public final class Idempotency {
    /** How long a claim blocks repeats while its request runs: longer than any submit invocation. */
    static final Duration CLAIM_FOR = Duration.ofMinutes(1);

    private final IdempotencyStore store;
    private final Duration expiry;
    private final Clock clock;

    public Idempotency(IdempotencyStore store, Duration expiry, Clock clock) {
        this.store = store;
        this.expiry = expiry;
        this.clock = clock;
    }

    /**
     * What a request under {@code key} is to do.
     *
     * @param record  the claim: its job ids are the ones to create (or, on a replay, the ones created)
     * @param replay  the request was served before: answer with its jobs, create nothing
     */
    public record Claim(IdempotencyRecord record, boolean replay) {
    }

    public Claim claim(String owner, String key, String payloadHash, List<String> newJobIds) {
        Instant now = clock.instant();
        IdempotencyRecord mine = new IdempotencyRecord(owner, key, payloadHash, newJobIds, false, now.plus(CLAIM_FOR), now.plus(expiry));
        IdempotencyStore.ClaimResult result = store.claim(mine);
        IdempotencyRecord previous = result.previous();
        if (!result.claimed()) {
            if (!previous.payloadHash().equals(payloadHash)) {
                throw IdempotencyConflictException.reused(key);
            }
            if (!previous.completed()) {
                throw IdempotencyConflictException.inProgress(key);
            }
            return new Claim(previous, true);
        }
        boolean retryOfAFailedRequest = previous != null && previous.payloadHash().equals(payloadHash)
                && now.isBefore(previous.expiresAt());
        return new Claim(retryOfAFailedRequest ? mine.withJobIds(previous.jobIds()) : mine, false);
    }

    /** The claim's jobs exist: later requests with the key get them. */
    public void complete(Claim claim) {
        store.put(claim.record().completedRecord());
    }

    /** The claim's request failed: a retry may take the claim over at once. */
    public void abandon(Claim claim) {
        store.put(claim.record().abandoned());
    }
}
