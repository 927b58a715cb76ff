package dev.e2bjobs.job;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/** The JobStore contract in memory, for domain tests; {@link JobStoreContract} holds it to the same rules as DynamoDB. */
final class InMemoryJobStore implements JobStore {
    /** Jobs read one by one so far: what a step costs in reads. */
    int finds;

    private final Map<String, Job> jobs = new TreeMap<>();
    private final Set<String> lagging = new HashSet<>();
    private int slots;
    private final Map<String, Integer> unfinished = new java.util.HashMap<>();
    /** The next create stores its jobs, then fails as if its answer were lost. */
    RuntimeException loseNextCreateAnswer;
    /** Reads of the queue fail with this while it is set. */
    RuntimeException queueReadFailure;

    @Override
    public synchronized List<Job> create(List<Job> newJobs, int quota) {
        String owner = newJobs.get(0).owner();
        if (unfinished.getOrDefault(owner, 0) + newJobs.size() > quota) {
            throw new QuotaExceededException(owner, quota);
        }
        if (newJobs.stream().anyMatch(job -> jobs.containsKey(job.jobId()))) {
            throw new ConcurrentUpdateException(newJobs.get(0).jobId(), null);
        }
        unfinished.merge(owner, newJobs.size(), Integer::sum);
        List<Job> stored = newJobs.stream().map(job -> job.atVersion(1)).toList();
        stored.forEach(job -> jobs.put(job.jobId(), job));
        RuntimeException lost = loseNextCreateAnswer;
        loseNextCreateAnswer = null;
        if (lost != null) {
            throw lost;
        }
        return stored;
    }

    @Override
    public synchronized Optional<Job> find(String jobId) {
        finds++;
        return Optional.ofNullable(jobs.get(jobId));
    }

    @Override
    public synchronized Job update(Job next) {
        Job current = jobs.get(next.jobId());
        if (current == null || current.version() != next.version()) {
            throw new ConcurrentUpdateException(next.jobId(), null);
        }
        Job stored = next.atVersion(next.version() + 1);
        jobs.put(next.jobId(), stored);
        return stored;
    }

    @Override
    public synchronized Job end(Job ended) {
        Job stored = update(ended);
        unfinished.merge(ended.owner(), -1, Integer::sum);
        return stored;
    }

    @Override
    public synchronized Job takeSlot(Job next, int cap) {
        if (slots >= cap) {
            throw new NoFreeSlotException(cap);
        }
        Job stored = update(next);
        slots++;
        return stored;
    }

    @Override
    public synchronized Job giveSlotBack(Job next) {
        Job stored = update(next);
        slots = Math.max(0, slots - 1);
        return stored;
    }

    @Override
    public synchronized int slotsHeld() {
        return slots;
    }

    @Override
    public synchronized List<Job> holding(int limit) {
        return select(job -> job.status() == JobStatus.STARTING || job.status() == JobStatus.RUNNING || job.slotHeld(), limit);
    }

    @Override
    public synchronized List<Job> queued(int limit, Instant now) {
        if (queueReadFailure != null) {
            throw queueReadFailure;
        }
        return select(job -> job.status() == JobStatus.QUEUED && job.backoff().due(now) && !lagging.contains(job.jobId()), limit);
    }

    private List<Job> select(Predicate<Job> filter, int limit) {
        return jobs.values().stream().filter(filter).limit(limit).toList();
    }

    @Override
    public synchronized JobPage list(String owner, JobStatus status, String label, String cursor, int limit) {
        String after = cursor == null ? null : decode(cursor);
        List<Job> mine = new ArrayList<>(jobs.values().stream()
                .filter(job -> owner.equals(job.owner()))
                .filter(job -> status == null || job.status() == status)
                .filter(job -> label == null || hasLabel(job, label))
                .filter(job -> after == null || job.jobId().compareTo(after) < 0)
                .sorted(Comparator.comparing(Job::jobId).reversed())
                .toList());
        List<Job> page = mine.stream().limit(limit).toList();
        String next = mine.size() > limit ? Base64.getUrlEncoder().encodeToString(page.get(page.size() - 1).jobId().getBytes(StandardCharsets.UTF_8)) : null;
        return new JobPage(page.stream().map(JobSummary::of).toList(), next);
    }

    private static boolean hasLabel(Job job, String label) {
        int colon = label.indexOf(':');
        String key = colon < 0 ? label : label.substring(0, colon);
        return (colon < 0 ? "" : label.substring(colon + 1)).equals(job.spec().labels().get(key));
    }

    private static String decode(String cursor) {
        try {
            String jobId = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (jobId.length() == 26) {
                return jobId;
            }
        } catch (IllegalArgumentException e) {
            // not ours
        }
        throw new InvalidJobRequestException("CURSOR_INVALID", "the cursor is not one this API gave out");
    }

    /** Puts a job in any state, as a crashed invocation could have left it. */
    synchronized void put(Job job) {
        jobs.put(job.jobId(), job);
    }

    /** The queue index does not show this job yet, as DynamoDB's eventually consistent indexes may not. */
    synchronized void lagBehind(String jobId) {
        lagging.add(jobId);
    }
}
