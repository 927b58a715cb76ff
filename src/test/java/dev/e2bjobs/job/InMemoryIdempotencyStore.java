package dev.e2bjobs.job;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** The IdempotencyStore primitives in memory: one map, a conditional put. */
final class InMemoryIdempotencyStore implements IdempotencyStore {
    private final Map<String, IdempotencyRecord> records = new HashMap<>();
    private final Clock clock;
    int puts;

    InMemoryIdempotencyStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized ClaimResult claim(IdempotencyRecord claim) {
        Instant now = clock.instant();
        IdempotencyRecord existing = records.get(key(claim));
        boolean free = existing == null || existing.expiresAt().isBefore(now)
                || (!existing.completed() && existing.claimUntil().isBefore(now));
        if (free) {
            records.put(key(claim), claim);
        }
        return new ClaimResult(free, existing);
    }

    @Override
    public synchronized void put(IdempotencyRecord record) {
        puts++;
        records.put(key(record), record);
    }

    private static String key(IdempotencyRecord record) {
        return record.owner() + "#" + record.key();
    }
}
