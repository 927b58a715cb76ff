package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.sandbox.SandboxRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link JobStore} must do, run against the in-memory store the domain tests use and against
 * DynamoDB Local, so the fake cannot drift from the real thing.
 */
public abstract class JobStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-21T09:00:00.123456789Z");
    private static final int QUOTA = 100;
    private JobStore store;

    /** A store over an empty table. */
    protected abstract JobStore newStore();

    @BeforeEach
    void emptyStore() {
        store = newStore();
    }

    private static Job queued(String owner, int second, Map<String, String> labels) {
        JobSpec spec = new JobSpec(List.of(new JobFile("main.py", "print(1)".getBytes()), new JobFile("data/b.bin", new byte[] {0, (byte) 255})),
                List.of("/bin/bash", "-c", "python main.py"), List.of("numpy==2.1.0"), Map.of("SEED", "1"), "base", 60,
                List.of("results/"), labels, false, null, null, new ResultsTarget("team/evaluation 7"));
        Instant at = T0.plusSeconds(second);
        return Job.queued(JobIds.next(at), owner, spec, at);
    }

    private Job stored(Job job) {
        return store.create(List.of(job), QUOTA).get(0);
    }

    @Test
    public void aJobComesBackAsItWasStoredEveryFieldIncluded() {
        Job job = stored(queued("ann", 0, Map.of("experiment", "e1")));
        assertEquals(1, job.version());
        assertEquals(Optional.of(job), store.find(job.jobId()));

        Job starting = store.takeSlot(job.starting(T0.plusSeconds(180)), 5);
        Job recorded = store.update(starting.withSandbox(new SandboxRef("isb1", "secret-token", "eu.e2b.app")));
        assertEquals(Optional.of(recorded), store.find(job.jobId()));
        Instant failedAt = Instant.parse("2026-11-21T09:00:05.123Z"); // backoff times are kept to the millisecond
        Job backedOff = store.giveSlotBack(recorded.requeued(LaunchBackoff.NONE.afterFailure(failedAt, Duration.ofSeconds(2),
                Duration.ofMinutes(1))));
        assertEquals(Optional.of(backedOff), store.find(job.jobId()));

        Job restarted = store.update(store.takeSlot(backedOff.starting(T0.plusSeconds(300)), 5).withSandbox(new SandboxRef("isb2", null, null),
                new JobEnvironment("env-0123456789abcdef01234567", true)));
        assertEquals(Optional.of(restarted), store.find(job.jobId()));
        Job running = store.update(restarted.running(T0.plusSeconds(301), T0.plusSeconds(400), 321));
        assertEquals(List.of(), store.find(job.jobId()).orElseThrow().spec().files(), "a running job's stored spec holds no files");
        JobOutput output = new JobOutput(3, new OutputTail("out", true), new OutputTail("ünïcode err", false), List.of(
                ResultFile.inline("results/m.json", "{\"a\":1}".getBytes()), ResultFile.stored("results/big.bin", 400_000, "jobs/x/big"),
                ResultFile.omitted("results/huge.bin", 60_000_000)));
        Job ended = store.end(running.failed(T0.plusSeconds(350), FailureCode.EXIT_NONZERO.error("the command exited with 3"), output));
        assertEquals(Optional.of(ended), store.find(job.jobId()));
    }

    @Test
    public void jobsAreCreatedAllOrNoneAndNeverTwice() {
        Job first = queued("ann", 0, Map.of());
        Job second = queued("ann", 1, Map.of());
        store.create(List.of(first), QUOTA);

        assertThrows(ConcurrentUpdateException.class, () -> store.create(List.of(second, first), QUOTA));
        assertEquals(Optional.empty(), store.find(second.jobId()), "the batch stored none of its jobs");
        assertEquals(2, store.create(List.of(second, queued("ann", 2, Map.of())), QUOTA).size());
    }

    @Test
    public void anOwnersUnfinishedJobsStayWithinItsQuotaAndAnEndMakesRoom() {
        Job first = store.create(List.of(queued("ann", 0, Map.of()), queued("ann", 1, Map.of())), 3).get(0);
        Job over = queued("ann", 2, Map.of());

        assertThrows(QuotaExceededException.class, () -> store.create(List.of(over, queued("ann", 3, Map.of())), 3));
        assertEquals(Optional.empty(), store.find(over.jobId()), "a batch over the quota stores nothing");
        store.create(List.of(queued("bob", 4, Map.of())), 3);
        store.create(List.of(over), 3);
        assertThrows(QuotaExceededException.class, () -> store.create(List.of(queued("ann", 5, Map.of())), 3));

        store.end(first.cancelled(T0));
        assertEquals(1, store.create(List.of(queued("ann", 6, Map.of())), 3).size(), "an ended job no longer counts");
    }

    @Test
    public void aWriteFromAStaleReadLoses() {
        Job job = stored(queued("ann", 0, Map.of()));
        Job cancelled = store.end(job.cancelled(T0));

        assertThrows(ConcurrentUpdateException.class, () -> store.end(job.cancelled(T0.plusSeconds(1))));
        assertEquals(Optional.of(cancelled), store.find(job.jobId()));
        assertEquals(2, cancelled.version());
    }

    @Test
    public void slotsAreTakenUpToTheCapOnlyAndGivenBack() {
        Job a = stored(queued("ann", 0, Map.of()));
        Job b = stored(queued("ann", 1, Map.of()));
        Job c = stored(queued("ann", 2, Map.of()));

        Job startedA = store.takeSlot(a.starting(T0), 2);
        store.takeSlot(b.starting(T0), 2);
        assertThrows(NoFreeSlotException.class, () -> store.takeSlot(c.starting(T0), 2));
        assertEquals(JobStatus.QUEUED, store.find(c.jobId()).orElseThrow().status(), "no slot, no start");
        assertEquals(2, store.slotsHeld());

        assertThrows(ConcurrentUpdateException.class, () -> store.takeSlot(a.starting(T0), 3));
        assertEquals(2, store.slotsHeld(), "a start that lost its race took no slot");

        store.giveSlotBack(store.end(startedA.cancelled(T0)).withSlotGivenBack());
        assertEquals(1, store.slotsHeld());
        store.takeSlot(c.starting(T0), 2);
        assertEquals(2, store.slotsHeld());
    }

    @Test
    public void racingStartsNeverTakeMoreSlotsThanTheCap() throws Exception {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jobs.add(stored(queued("ann", i, Map.of())));
        }
        AtomicInteger started = new AtomicInteger();
        List<CompletableFuture<Void>> racers = jobs.stream().map(job -> CompletableFuture.runAsync(() -> {
            try {
                store.takeSlot(job.starting(T0), 3);
                started.incrementAndGet();
            } catch (NoFreeSlotException | ConcurrentUpdateException full) {
                // another racer got there first
            }
        })).toList();
        CompletableFuture.allOf(racers.toArray(CompletableFuture[]::new)).get();

        assertEquals(3, started.get());
        assertEquals(3, store.slotsHeld());
    }

    @Test
    public void holdingListsJobsThatHoldOrAcquireASlotOldestFirst() {
        Job queued = stored(queued("ann", 0, Map.of()));
        Job starting = store.takeSlot(stored(queued("ann", 1, Map.of())).starting(T0), 5);
        Job endedHolding = store.end(store.takeSlot(stored(queued("ann", 2, Map.of())).starting(T0), 5).cancelled(T0));
        Job endedReleased = store.giveSlotBack(store.end(store.takeSlot(stored(queued("ann", 3, Map.of())).starting(T0), 5)
                .cancelled(T0)).withSlotGivenBack());

        assertEquals(List.of(starting.jobId(), endedHolding.jobId()), store.holding(10).stream().map(Job::jobId).toList());
        assertEquals(1, store.holding(1).size());
        assertTrue(store.holding(10).stream().noneMatch(job -> job.jobId().equals(queued.jobId()) || job.jobId().equals(endedReleased.jobId())));
    }

    @Test
    public void queuedListsDueJobsOldestFirst() {
        Job first = stored(queued("ann", 0, Map.of()));
        Job backingOff = store.giveSlotBack(store.takeSlot(stored(queued("ann", 1, Map.of())).starting(T0), 5)
                .requeued(new LaunchBackoff(1, T0, T0.plusSeconds(10))));
        Job third = stored(queued("bob", 2, Map.of()));
        store.takeSlot(stored(queued("ann", 3, Map.of())).starting(T0), 5);

        assertEquals(List.of(first.jobId(), third.jobId()), store.queued(10, T0.plusSeconds(5)).stream().map(Job::jobId).toList());
        assertEquals(List.of(first.jobId(), backingOff.jobId(), third.jobId()),
                store.queued(10, T0.plusSeconds(10)).stream().map(Job::jobId).toList(), "its backoff is over");
        assertEquals(List.of(first.jobId()), store.queued(1, T0.plusSeconds(10)).stream().map(Job::jobId).toList());
    }

    @Test
    public void anOwnersListIsNewestFirstFilteredAndPaged() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(0, stored(queued("ann", i, Map.of("experiment", i % 2 == 0 ? "even" : "odd"))).jobId());
        }
        stored(queued("bob", 9, Map.of("experiment", "even")));
        store.end(store.find(mine.get(0)).orElseThrow().cancelled(T0));

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JobStore.JobPage page = store.list("ann", null, null, cursor, 2);
            assertTrue(page.jobs().size() <= 2);
            page.jobs().forEach(job -> paged.add(job.jobId()));
            cursor = page.nextCursor();
        } while (cursor != null);
        assertEquals(mine, paged);

        JobStore.JobPage even = store.list("ann", null, "experiment:even", null, 10);
        assertEquals(List.of(mine.get(0), mine.get(2), mine.get(4)), even.jobs().stream().map(JobSummary::jobId).toList());
        JobSummary newest = store.list("ann", JobStatus.CANCELLED, null, null, 10).jobs().get(0);
        assertEquals(mine.get(0), newest.jobId());
        assertEquals("CANCELLED", newest.error().code());
        assertEquals(Map.of("experiment", "even"), newest.labels());
        assertNull(newest.exitCode());
        assertEquals("CURSOR_INVALID", assertThrows(InvalidJobRequestException.class,
                () -> store.list("ann", null, null, "not-ours", 10)).code());
    }
}
