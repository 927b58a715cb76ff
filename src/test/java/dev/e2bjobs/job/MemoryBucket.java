package dev.e2bjobs.job;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** The jobs bucket in memory, for domain tests: jobs' results, rendered as plain text documents. */
public final class MemoryBucket implements ResultsBucket, JobDocuments {
    public final Map<String, byte[]> objects = new ConcurrentSkipListMap<>();
    /** When set, every write fails, as S3 would while unreachable. */
    volatile boolean unreachable;

    @Override
    public void put(String key, byte[] content, String contentType) {
        if (unreachable) {
            throw new IllegalStateException("the bucket cannot be reached");
        }
        objects.put(key, content.clone());
    }

    @Override
    public byte[] status(Job job) {
        return (job.status() + " " + job.output().exitCode()).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] problem(JobRequestException refused) {
        return refused.code().getBytes(StandardCharsets.UTF_8);
    }

    public String text(String key) {
        byte[] content = objects.get(key);
        return content == null ? null : new String(content, StandardCharsets.UTF_8);
    }
}
