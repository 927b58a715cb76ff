package dev.e2bjobs.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.job.FakeSandboxGateway;
import dev.e2bjobs.job.TestClock;
import dev.e2bjobs.sandbox.Egress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvironmentCacheTest {
    private static final Egress INDEX = Egress.only(List.of("pypi.org"));
    private final TestClock clock = new TestClock();
    private final InMemoryEnvironmentStore store = new InMemoryEnvironmentStore();
    private final FakeSandboxGateway sandboxes = new FakeSandboxGateway(clock);
    private final EnvironmentCache cache = new EnvironmentCache(store, sandboxes, new EnvironmentCache.Settings(true, false,
            Duration.ofDays(7), 2, Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofHours(1), 300, Map.of("e2bjobs.deployment", "test")), clock);
    private final EnvironmentKey numpy = cache.keyOf("alice", "base", List.of("numpy==1.26.4"), INDEX);

    private String onlyBuilder() {
        assertEquals(1, sandboxes.sandboxes.size(), "one builder");
        return sandboxes.sandboxes.keySet().iterator().next();
    }

    private void builderEnds(String status) {
        String builder = onlyBuilder();
        sandboxes.write(builder, EnvironmentCache.FROZEN, "numpy==1.26.4\n");
        sandboxes.write(builder, EnvironmentCache.SIZE, "41234176\n");
        sandboxes.write(builder, EnvironmentCache.LOG, "ERROR: No matching distribution found for numpy==1.26.4\n");
        sandboxes.write(builder, EnvironmentCache.STATUS, status + "\n");
    }

    @Test
    void oneBuilderPerKeyHoweverManyJobsAsk() {
        for (int launcher = 0; launcher < 10; launcher++) {
            cache.buildIfMissing(numpy);
        }
        FakeSandboxGateway.Box builder = sandboxes.sandboxes.get(onlyBuilder());
        assertEquals(numpy.id(), builder.spec().metadata().get(EnvironmentCache.ENVIRONMENT_KEY));
        assertEquals(INDEX, builder.spec().egress(), "the builder installs under the key's network");
        assertEquals("numpy==1.26.4\n", new String(builder.files().get(EnvironmentCache.DIR + "/requirements.txt")));
        assertEquals(1, builder.started().size());
        assertTrue(cache.readyFor(numpy).isEmpty(), "jobs install inline meanwhile");
    }

    @Test
    void aFinishedBuildIsSnapshottedAndLaterJobsStartFromIt() {
        cache.buildIfMissing(numpy);
        builderEnds("0");
        String builder = onlyBuilder();
        cache.finishBuilds(cache.all());

        Environment ready = cache.readyFor(numpy).orElseThrow();
        assertEquals("snapshot-" + numpy.id(), ready.snapshotId());
        assertEquals("numpy==1.26.4\n", ready.frozen());
        assertEquals(41_234_176L, ready.sizeBytes());
        assertEquals(List.of(builder), sandboxes.killed, "the builder is killed once snapshotted");
        assertEquals(1, store.find(numpy.id()).orElseThrow().hits());
    }

    @Test
    void aFailedBuildKeepsItsLogAndIsTriedAgainAfterItsBackoff() {
        cache.buildIfMissing(numpy);
        builderEnds("1");
        cache.finishBuilds(cache.all());
        Environment failed = store.find(numpy.id()).orElseThrow();
        assertEquals(Environment.State.FAILED, failed.state());
        assertTrue(failed.buildLog().contains("No matching distribution"), failed.buildLog());

        sandboxes.sandboxes.clear();
        cache.buildIfMissing(numpy);
        assertEquals(0, sandboxes.sandboxes.size(), "not before the back-off is over");
        clock.advance(Duration.ofMinutes(1));
        cache.buildIfMissing(numpy);
        assertEquals(1, sandboxes.sandboxes.size(), "built again after it");
    }

    @Test
    void unusedEnvironmentsExpireWithTheirSnapshot() {
        cache.buildIfMissing(numpy);
        builderEnds("0");
        cache.finishBuilds(cache.all());
        assertEquals(1, sandboxes.snapshots.size());

        clock.advance(Duration.ofDays(7).plusSeconds(1));
        cache.expire(cache.all());
        assertEquals(Map.of(), sandboxes.snapshots);
        assertTrue(store.all().isEmpty());
    }

    @Test
    void anOwnerHasAtMostItsCapOfEnvironments() {
        for (String requirement : List.of("numpy", "scipy", "pandas")) {
            cache.buildIfMissing(cache.keyOf("alice", "base", List.of(requirement), INDEX));
        }
        assertEquals(2, cache.of("alice").size());
        cache.buildIfMissing(cache.keyOf("bob", "base", List.of("pandas"), INDEX));
        assertEquals(1, cache.of("bob").size(), "each owner has their own");
    }

    @Test
    void anOwnerDropsAnEnvironmentWithItsSnapshotButNotAnotherOwners() {
        cache.buildIfMissing(numpy);
        builderEnds("0");
        cache.finishBuilds(cache.all());

        assertThrows(EnvironmentNotFoundException.class, () -> cache.drop("bob", numpy.id()));
        assertEquals(1, sandboxes.snapshots.size(), "bob's request changed nothing");
        cache.drop("alice", numpy.id());
        assertEquals(Map.of(), sandboxes.snapshots);
        assertTrue(cache.readyFor(numpy).isEmpty(), "the next job installs inline and builds it again");
        assertThrows(EnvironmentNotFoundException.class, () -> cache.drop("alice", numpy.id()));
    }

    @Test
    void droppingAnEnvironmentBeingBuiltKillsItsBuilder() {
        cache.buildIfMissing(numpy);
        String builder = onlyBuilder();

        cache.drop("alice", numpy.id());
        assertEquals(List.of(builder), sandboxes.killed);
        assertTrue(store.all().isEmpty());
    }

    @Test
    void aBuildDroppedWhileItWasSnapshottedLeavesNeitherRecordNorSnapshot() {
        cache.buildIfMissing(numpy);
        builderEnds("0");
        List<Environment> readBySweep = cache.all();
        store.delete(numpy.id()); // a DELETE /environments/{id} between the sweep's read and its snapshot

        cache.finishBuilds(readBySweep);
        assertTrue(store.all().isEmpty(), "not written back");
        assertEquals(Map.of(), sandboxes.snapshots, "the snapshot just made is deleted");
    }
}
