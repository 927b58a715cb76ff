package dev.e2bjobs.job;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes jobs in: validates them, applies the Idempotency-Key, stores them QUEUED (a batch all at once
 * or not at all) and hands them to the launcher. Never calls E2B, so a submit answers in one or two
 * store round trips whatever E2B's speed.
 */
public class JobIntake {
    static final int MAX_BATCH = 20;
    /** A batch is stored in one transaction (DynamoDB: 4 MB at most), so its jobs share this much of inline files. */
    static final int BATCH_INLINE_BUDGET = 3 * 1024 * 1024;

    private final JobStore store;
    private final Idempotency idempotency;
    private final ArtifactStore artifacts;
    private final LaunchTrigger launches;
    private final CallbackTargets callbackTargets;
    private final JobSettings settings;
    private final JobValidator validator;
    private final Clock clock;
    private final JobEvents events;

    public JobIntake(JobStore store, Idempotency idempotency, ArtifactStore artifacts, LaunchTrigger launches,
            CallbackTargets callbackTargets, JobSettings settings, Clock clock, JobEvents events) {
        this.store = store;
        this.idempotency = idempotency;
        this.artifacts = artifacts;
        this.launches = launches;
        this.callbackTargets = callbackTargets;
        this.settings = settings;
        this.validator = new JobValidator(settings);
        this.clock = clock;
        this.events = events;
    }

    /** Queues one job. With an Idempotency-Key, a repeat of the same payload gets the same job. */
    public Job submit(String owner, JobRequest request, String idempotencyKey) {
        return accept(owner, List.of(validated(owner, request)), idempotencyKey).get(0);
    }

    /**
     * Queues a job uploaded to the bucket as a bundle: its results go back under {@code results/<name>/},
     * and a repeated notification of the same upload ({@code uploadId}: bucket, key and version) gets the same job.
     */
    public Job submitUpload(String owner, JobRequest request, String name, String uploadId) {
        return accept(owner, List.of(validated(owner, request).withResultsTo(new ResultsTarget(name))), uploadId).get(0);
    }

    /** Queues 1..20 jobs: all are validated, then stored together, or none is. */
    public List<Job> submitBatch(String owner, List<JobRequest> requests, String idempotencyKey) {
        if (requests == null || requests.isEmpty() || requests.size() > MAX_BATCH) {
            throw new InvalidJobRequestException("BATCH_SIZE", "a batch holds 1.." + MAX_BATCH + " jobs");
        }
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            try {
                specs.add(validated(owner, requests.get(i)));
            } catch (InvalidJobRequestException e) {
                throw new InvalidJobRequestException(e.code(), "jobs[" + i + "]: " + e.getMessage());
            }
        }
        return accept(owner, specs, idempotencyKey);
    }

    /** The request's spec, calling back its own URL or its owner's default; a URL that may not be called is rejected. */
    private JobSpec validated(String owner, JobRequest request) {
        JobSpec spec = validator.validate(request);
        String callback = spec.callbackUrl() != null ? spec.callbackUrl() : settings.webhooks().perOwner().get(owner);
        if (callback != null) {
            callbackTargets.check(callback);
        }
        return spec.withCallbackUrl(callback);
    }

    private List<Job> accept(String owner, List<JobSpec> specs, String idempotencyKey) {
        Instant now = clock.instant();
        List<String> ids = specs.stream().map(spec -> JobIds.next(now)).toList();
        if (idempotencyKey == null) {
            return queue(owner, ids, specs, now);
        }
        Idempotency.Claim claim = idempotency.claim(owner, idempotencyKey, SpecHash.of(specs), ids);
        if (claim.replay()) {
            return claim.record().jobIds().stream().map(store::stored).toList();
        }
        try {
            List<Job> jobs = queue(owner, claim.record().jobIds(), specs, now);
            idempotency.complete(claim);
            return jobs;
        } catch (RuntimeException e) {
            idempotency.abandon(claim);
            throw e;
        }
    }

    /** Stores the jobs QUEUED in one atomic write, then asks for a launch. */
    private List<Job> queue(String owner, List<String> ids, List<JobSpec> specs, Instant now) {
        int inlineBudget = Math.min(settings.inlineFilesBytes(), BATCH_INLINE_BUDGET / specs.size());
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            jobs.add(Job.queued(ids.get(i), owner, storable(ids.get(i), specs.get(i), inlineBudget), now));
        }
        List<Job> stored;
        try {
            stored = store.create(jobs, settings.quota().of(owner));
            stored.forEach(events::queued);
        } catch (ConcurrentUpdateException alreadyStored) {
            // the retry of a request that failed after storing them, under the same Idempotency-Key
            stored = ids.stream().map(store::stored).toList();
        }
        launches.trigger("submit", ids);
        return stored;
    }

    /** A queued job waits in one store item; files that would not fit it wait in the artifact store. */
    private JobSpec storable(String jobId, JobSpec spec, int inlineBudget) {
        return spec.totalFileBytes() <= inlineBudget ? spec
                : spec.withFilesStoredAt(artifacts.put(jobId, Runner.BUNDLE, FileBundle.pack(spec.files())));
    }
}
