package dev.e2bjobs.job;

import java.time.Instant;

/**
 * Where a job's large data is kept outside the job record: result files too large to return inline
 * (handed out as download links) and job files too large to store with a queued job.
 */
public interface ArtifactStore {
    /** The bucket's folder of these files, apart from uploads and results. */
    String ROOT = "artifacts/";

    /** Keeps a file of a job; returns the key it is stored under. */
    String put(String jobId, String path, byte[] content);

    /** The bytes stored under a key. */
    byte[] get(String key);

    /** A link to download a stored file, valid until {@code expiresAt}. */
    Link link(String key);

    record Link(String url, Instant expiresAt) {
    }
}
