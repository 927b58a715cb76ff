package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link IdempotencyStore} must do: in memory and on DynamoDB Local alike. */
public abstract class IdempotencyStoreContract {
    /** The clock the store under test reads; tests move it. */
    protected final TestClock clock = new TestClock();
    private IdempotencyStore store;

    protected abstract IdempotencyStore newStore();

    @BeforeEach
    void emptyStore() {
        store = newStore();
    }

    private IdempotencyRecord claim(String hash, List<String> jobIds, boolean completed, Duration claimFor) {
        Instant now = clock.instant();
        return new IdempotencyRecord("ann", "key-1", hash, jobIds, completed, now.plus(claimFor), now.plus(Duration.ofHours(24)));
    }

    @Test
    public void aFreeKeyIsClaimedAndASecondClaimGetsTheFirstBackInTheSameCall() {
        IdempotencyStore.ClaimResult first = store.claim(claim("h1", List.of("A", "B"), false, Duration.ofMinutes(1)));
        assertTrue(first.claimed());
        assertNull(first.previous());

        IdempotencyStore.ClaimResult second = store.claim(claim("h2", List.of("C"), false, Duration.ofMinutes(1)));
        assertEquals(false, second.claimed());
        assertEquals("h1", second.previous().payloadHash());
        assertEquals(List.of("A", "B"), second.previous().jobIds());
        assertEquals(false, second.previous().completed());
    }

    @Test
    public void anUncompletedClaimPastItsTimeIsTakenOverAndACompletedOneOnlyOnceExpired() {
        store.claim(claim("h1", List.of("A"), false, Duration.ofMinutes(1)));
        clock.advance(Duration.ofMinutes(2));
        IdempotencyStore.ClaimResult takeover = store.claim(claim("h1", List.of("B"), false, Duration.ofMinutes(1)));
        assertTrue(takeover.claimed());
        assertEquals(List.of("A"), takeover.previous().jobIds(), "the abandoned claim's jobs, for the retry to reuse");

        store.put(claim("h1", List.of("A"), true, Duration.ofMinutes(1)));
        clock.advance(Duration.ofHours(23));
        assertEquals(false, store.claim(claim("h1", List.of("C"), false, Duration.ofMinutes(1))).claimed());
        clock.advance(Duration.ofHours(2));
        assertTrue(store.claim(claim("h1", List.of("C"), false, Duration.ofMinutes(1))).claimed(), "an expired key is free again");
    }
}
