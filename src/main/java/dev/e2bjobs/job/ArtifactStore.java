package dev.e2bjobs.job;

import java.time.Instant;

/** Where result files too large to return inline are kept, and handed out as download links. */
public interface ArtifactStore {

    /** Keeps a job's result file; returns the key it is stored under. */
    String put(String jobId, String path, byte[] content);

    /** A link to download a stored file, valid until {@code expiresAt}. */
    Link link(String key);

    record Link(String url, Instant expiresAt) {
    }
}
