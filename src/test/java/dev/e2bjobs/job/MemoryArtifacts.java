package dev.e2bjobs.job;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Large files in memory, for domain tests. */
final class MemoryArtifacts implements ArtifactStore {
    final Map<String, byte[]> stored = new HashMap<>();

    @Override
    public synchronized String put(String jobId, String path, byte[] content) {
        stored.put(jobId + "/" + path, content);
        return jobId + "/" + path;
    }

    @Override
    public synchronized byte[] get(String key) {
        return stored.get(key);
    }

    @Override
    public Link link(String key) {
        return new Link("mem://" + key, Instant.EPOCH);
    }
}
