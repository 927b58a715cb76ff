package dev.e2bjobs.job;

import java.time.Instant;
import java.util.List;

/**
 * An Idempotency-Key's record: the jobs a request created under it and a hash of its payload.
 *
 * @param completed    false while the first request is still being served
 * @param claimUntil   when an uncompleted claim may be taken over (its request failed or died)
 * @param expiresAt    when the key is forgotten
 */
public record IdempotencyRecord(String owner, String key, String payloadHash, List<String> jobIds, boolean completed,
        Instant claimUntil, Instant expiresAt) {

    public IdempotencyRecord {
        jobIds = List.copyOf(jobIds);
    }

    IdempotencyRecord withJobIds(List<String> ids) {
        return new IdempotencyRecord(owner, key, payloadHash, ids, completed, claimUntil, expiresAt);
    }

    IdempotencyRecord completedRecord() {
        return new IdempotencyRecord(owner, key, payloadHash, jobIds, true, claimUntil, expiresAt);
    }

    /** Uncompleted, and free to be taken over at once. */
    IdempotencyRecord abandoned() {
        return new IdempotencyRecord(owner, key, payloadHash, jobIds, false, Instant.EPOCH, expiresAt);
    }
}
