package dev.e2bjobs.job;

import java.time.Instant;

/**
 * An Idempotency-Key's record: the job a request created and a hash of its payload.
 *
 * @param completed    false while the first request is still being served
 * @param claimUntil   when an uncompleted claim may be taken over (its request presumably died)
 * @param expiresAt    when the key is forgotten
 */
public record IdempotencyRecord(String owner, String key, String payloadHash, String jobId, boolean completed,
        Instant claimUntil, Instant expiresAt) {
}
