package dev.e2bjobs.job;

/**
 * A job whose results are also written to the jobs bucket, under {@code results/<name>/} (an uploaded
 * bundle's name), or {@code results/<jobId>/} when it has none (an HTTP job that asked for it).
 */
public record ResultsTarget(String name) {
    /** The bucket's folder of results; ingest never reads below it. */
    public static final String ROOT = "results/";
    /** For jobs submitted over HTTP with {@code resultsTo: "s3"}. */
    public static final ResultsTarget BY_JOB_ID = new ResultsTarget(null);

    /** Where this job's results go: {@code results/<name or jobId>/}. */
    public String prefixFor(String jobId) {
        return ROOT + (name != null ? name : jobId) + "/";
    }
}
