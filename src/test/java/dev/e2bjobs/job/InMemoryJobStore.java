package dev.e2bjobs.job;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The JobStore contract in memory, version checks included, for domain tests. */
final class InMemoryJobStore implements JobStore {
    private final Map<String, Job> jobs = new HashMap<>();
    private final Map<String, IdempotencyRecord> keys = new HashMap<>();
    private final Clock clock;

    InMemoryJobStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Job create(Job job) {
        if (jobs.containsKey(job.jobId())) {
            throw new ConcurrentUpdateException(job.jobId(), null);
        }
        Job stored = job.with(b -> b.version = 1);
        jobs.put(job.jobId(), stored);
        return stored;
    }

    @Override
    public synchronized Optional<Job> find(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    @Override
    public synchronized Job update(Job next) {
        Job current = jobs.get(next.jobId());
        if (current == null || current.version() != next.version()) {
            throw new ConcurrentUpdateException(next.jobId(), null);
        }
        Job stored = next.with(b -> b.version = next.version() + 1);
        jobs.put(next.jobId(), stored);
        return stored;
    }

    @Override
    public synchronized List<Job> active(int limit) {
        return jobs.values().stream().filter(job -> !job.status().isTerminal())
                .sorted(Comparator.comparing(Job::createdAt).thenComparing(Job::jobId)).limit(limit).toList();
    }

    @Override
    public synchronized JobPage list(String owner, JobStatus status, String label, String cursor, int limit) {
        List<Job> mine = new ArrayList<>(jobs.values().stream().filter(job -> owner.equals(job.owner()))
                .filter(job -> status == null || job.status() == status).toList());
        mine.sort(Comparator.comparing(Job::createdAt).reversed());
        return new JobPage(mine.stream().limit(limit).toList(), null);
    }

    @Override
    public synchronized Optional<IdempotencyRecord> claim(IdempotencyRecord record) {
        String key = record.owner() + "#" + record.key();
        IdempotencyRecord existing = keys.get(key);
        if (existing == null || (!existing.completed() && existing.claimUntil().isBefore(clock.instant()))) {
            keys.put(key, record);
            return Optional.empty();
        }
        return Optional.of(existing);
    }

    @Override
    public synchronized void complete(IdempotencyRecord record) {
        keys.put(record.owner() + "#" + record.key(), new IdempotencyRecord(record.owner(), record.key(), record.payloadHash(),
                record.jobId(), true, record.claimUntil(), record.expiresAt()));
    }

    @Override
    public synchronized void release(IdempotencyRecord record) {
        keys.remove(record.owner() + "#" + record.key());
    }

    /** Puts a job in any state, as a crashed invocation could have left it. */
    synchronized void put(Job job) {
        jobs.put(job.jobId(), job);
    }
}
