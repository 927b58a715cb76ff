package dev.e2bjobs.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.sandbox.Egress;
import dev.e2bjobs.sandbox.SandboxRef;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every EnvironmentStore does: one claim per key and state, records kept whole, all listed. */
public abstract class EnvironmentStoreContract {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(15);
    private EnvironmentStore store;

    protected abstract EnvironmentStore newStore();

    @BeforeEach
    void emptyStore() {
        store = newStore();
    }

    private static EnvironmentKey key(String requirement) {
        return EnvironmentKey.of("alice", "base", List.of(requirement), Egress.only(List.of("pypi.org")));
    }

    @Test
    public void onlyOneOfTwoRacingClaimsOfANewKeyWins() {
        Environment building = Environment.building(key("numpy"), NOW, LEASE);
        assertTrue(store.replace(building, null));
        assertFalse(store.replace(Environment.building(key("numpy"), NOW, LEASE), null));
    }

    @Test
    public void aFailedBuildIsClaimedAgainOnceByWhoeverReadItAsFailed() {
        Environment building = Environment.building(key("numpy"), NOW, LEASE);
        store.replace(building, null);
        Environment failed = building.failed("no such package", NOW, Duration.ofMinutes(1), Duration.ofHours(1));
        assertTrue(store.replace(failed, building));
        Environment read = store.find(failed.id()).orElseThrow();

        Instant later = NOW.plus(Duration.ofMinutes(2));
        assertTrue(store.replace(read.rebuilding(later, LEASE), read));
        assertFalse(store.replace(read.rebuilding(later, LEASE), read), "the second racer read a record that changed since");
    }

    @Test
    public void aRecordComesBackWholeAndAllListsEveryEnvironment() {
        Environment building = Environment.building(key("numpy"), NOW, LEASE).withBuilder(new SandboxRef("isb1", "token", null));
        store.replace(building, null);
        Environment ready = building.ready("snapshot-1", "numpy==1.26.4\n", 41_000_000L, NOW.plusSeconds(30)).used(NOW.plusSeconds(60));
        assertTrue(store.replace(ready, building));
        store.replace(Environment.building(key("scipy"), NOW, LEASE), null);

        assertEquals(Optional.of(ready), store.find(ready.id()));
        assertEquals(2, store.all().size());
        store.delete(ready.id());
        assertEquals(Optional.empty(), store.find(ready.id()));
        assertEquals(1, store.all().size());
    }

    @Test
    public void aDroppedEnvironmentIsNeverWrittenBack() {
        Environment building = Environment.building(key("numpy"), NOW, LEASE);
        store.replace(building, null);
        store.delete(building.id());

        assertFalse(store.replace(building.ready("snapshot-1", "", 1L, NOW), building), "a build finished after its drop");
        assertEquals(Optional.empty(), store.find(building.id()));
    }

    @Test
    public void usesRacingEachOtherAreAllCountedAndADroppedEnvironmentStaysDropped() throws InterruptedException {
        Environment ready = Environment.building(key("numpy"), NOW, LEASE).ready("snapshot-1", "numpy==1.26.4\n", 1L, NOW);
        store.replace(ready, null);
        Instant later = NOW.plusSeconds(90);
        ExecutorService launchers = Executors.newFixedThreadPool(10);
        launchers.invokeAll(IntStream.range(0, 10).<Callable<Object>>mapToObj(i -> Executors.callable(() -> store.recordUse(ready.id(), later))).toList());
        launchers.shutdown();

        Environment used = store.find(ready.id()).orElseThrow();
        assertEquals(10, used.hits());
        assertEquals(later, used.lastUsedAt());
        store.delete(ready.id());
        store.recordUse(ready.id(), later);
        assertEquals(Optional.empty(), store.find(ready.id()));
    }
}
