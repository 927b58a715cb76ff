package dev.e2bjobs.job;

import java.util.List;
import java.util.Map;

/**
 * A validated job: what runs, where and for how long. Built only by {@link JobValidator}.
 *
 * @param command       argv of the command; never passed through a shell by us
 * @param dependencies  pip requirement strings, installed before the command
 * @param resultPaths   relative files or directories (ending in /) returned as results
 * @param internet      whether the job's code may reach the internet; without it, a job with
 *                      dependencies reaches only the package index, and others nothing
 * @param callbackUrl   where its view is POSTed when it ends, or null
 * @param filesKey      where the files are kept while they are too large to store with the job
 *                      ({@link ArtifactStore}); null when {@code files} holds them
 * @param resultsTo     where in the jobs bucket its results are written when it ends; null: nowhere
 */
public record JobSpec(List<JobFile> files, List<String> command, List<String> dependencies, Map<String, String> env,
        String template, int timeoutSeconds, List<String> resultPaths, Map<String, String> labels, boolean internet,
        String callbackUrl, String filesKey, ResultsTarget resultsTo) {

    public JobSpec {
        files = List.copyOf(files);
        command = List.copyOf(command);
        dependencies = List.copyOf(dependencies);
        env = Map.copyOf(env);
        resultPaths = List.copyOf(resultPaths);
        labels = Map.copyOf(labels);
    }

    /** The same job with these files in hand. */
    public JobSpec withFiles(List<JobFile> newFiles) {
        return new JobSpec(newFiles, command, dependencies, env, template, timeoutSeconds, resultPaths, labels, internet, callbackUrl, filesKey, resultsTo);
    }

    /** The same job, calling back {@code url} when it ends. */
    public JobSpec withCallbackUrl(String url) {
        return new JobSpec(files, command, dependencies, env, template, timeoutSeconds, resultPaths, labels, internet, url, filesKey, resultsTo);
    }

    /** The same job whose files are kept elsewhere, under {@code key}. */
    public JobSpec withFilesStoredAt(String key) {
        return new JobSpec(List.of(), command, dependencies, env, template, timeoutSeconds, resultPaths, labels, internet, callbackUrl, key, resultsTo);
    }

    /** The same job, its results written to the bucket under {@code target}. */
    public JobSpec withResultsTo(ResultsTarget target) {
        return new JobSpec(files, command, dependencies, env, template, timeoutSeconds, resultPaths, labels, internet, callbackUrl, filesKey, target);
    }

    public long totalFileBytes() {
        return files.stream().mapToLong(file -> file.content().length).sum();
    }
}
