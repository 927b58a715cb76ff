package dev.e2bjobs.dynamodb;

import dev.e2bjobs.job.JobFile;
import dev.e2bjobs.job.JobSpec;
import dev.e2bjobs.job.ResultsTarget;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * A job's spec as stored (gzipped JSON in the item's {@code spec}): this adapter's own shape, so
 * renaming a domain field cannot silently break jobs already stored. {@code v} is the shape's version.
 */
@RegisterForReflection
record StoredSpec(int v, List<StoredFile> files, List<String> command, List<String> dependencies, Map<String, String> env,
        String template, int timeoutSeconds, List<String> resultPaths, Map<String, String> labels, boolean internet,
        String callbackUrl, String filesKey, boolean resultsToBucket, String resultsName) {
    static final int VERSION = 1;

    @RegisterForReflection
    record StoredFile(String path, byte[] content) {
    }

    static StoredSpec of(JobSpec spec) {
        return new StoredSpec(VERSION, spec.files().stream().map(f -> new StoredFile(f.path(), f.content())).toList(), spec.command(),
                spec.dependencies(), spec.env(), spec.template(), spec.timeoutSeconds(), spec.resultPaths(), spec.labels(),
                spec.internet(), spec.callbackUrl(), spec.filesKey(), spec.resultsTo() != null,
                spec.resultsTo() == null ? null : spec.resultsTo().name());
    }

    JobSpec toSpec() {
        if (v != VERSION) {
            throw new IllegalStateException("a stored spec of shape version " + v + "; this code reads " + VERSION);
        }
        return new JobSpec(files.stream().map(f -> new JobFile(f.path(), f.content())).toList(), command, dependencies, env, template,
                timeoutSeconds, resultPaths, labels, internet, callbackUrl, filesKey, resultsToBucket ? new ResultsTarget(resultsName) : null);
    }
}
