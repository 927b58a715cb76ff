package dev.e2bjobs.job;

/**
 * Where Idempotency-Key records live: the primitives {@link Idempotency} builds its protocol on.
 */
public interface IdempotencyStore {

    /**
     * Puts {@code claim} if its key is free, expired, or held by an uncompleted claim past its
     * {@code claimUntil}; in one round trip either way, answers what stood under the key before.
     */
    ClaimResult claim(IdempotencyRecord claim);

    /** Replaces the record (a completed or abandoned claim of the same key). */
    void put(IdempotencyRecord record);

    /**
     * @param claimed   whether the claim was written
     * @param previous  the record it replaced (claimed) or that stopped it (not claimed), or null
     */
    record ClaimResult(boolean claimed, IdempotencyRecord previous) {
    }
}
