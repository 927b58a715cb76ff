package dev.e2bjobs.dynamodb;

import dev.e2bjobs.job.ResultFile;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** A result file as stored (in the item's gzipped {@code results} list): this adapter's own shape. */
@RegisterForReflection
record StoredResult(String path, long size, byte[] content, String artifactKey, boolean omitted) {

    static StoredResult of(ResultFile file) {
        return new StoredResult(file.path(), file.size(), file.content(), file.artifactKey(), file.omitted());
    }

    ResultFile toResult() {
        return new ResultFile(path, size, content, artifactKey, omitted);
    }
}
