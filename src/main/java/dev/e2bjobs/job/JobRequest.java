package dev.e2bjobs.job;

import java.util.List;
import java.util.Map;

/**
 * A job as a user asks for it (the edge has decoded the wire form); {@link JobValidator} turns it into
 * a {@link JobSpec} or rejects it.
 *
 * @param files         path → content and its encoding
 * @param shellCommand  a command line run with {@code bash -c}, or null
 * @param argv          a command as an argument vector, or null; with neither, the Genesis-style
 *                      {@code python evaluate.py --program_path main.py --results_dir results}
 * @param internet      whether the job's code may reach the internet (null: no)
 * @param callbackUrl   where to POST the job's view when it ends (null: the owner's default, if any)
 * @param resultsTo     "s3" to have its results written to the jobs bucket too (null: no)
 */
public record JobRequest(Map<String, FileContent> files, String shellCommand, List<String> argv, List<String> dependencies,
        Map<String, String> env, String template, Integer timeoutSeconds, List<String> resultPaths,
        Map<String, String> labels, Boolean internet, String callbackUrl, String resultsTo) {

    /** A request that keeps its results in the job alone. */
    public JobRequest(Map<String, FileContent> files, String shellCommand, List<String> argv, List<String> dependencies,
            Map<String, String> env, String template, Integer timeoutSeconds, List<String> resultPaths,
            Map<String, String> labels, Boolean internet, String callbackUrl) {
        this(files, shellCommand, argv, dependencies, env, template, timeoutSeconds, resultPaths, labels, internet, callbackUrl, null);
    }

    /** The same request with these files added (a path it already has takes the new content). */
    public JobRequest withFiles(Map<String, FileContent> more) {
        Map<String, FileContent> all = new java.util.LinkedHashMap<>(files == null ? Map.of() : files);
        all.putAll(more);
        return new JobRequest(all, shellCommand, argv, dependencies, env, template, timeoutSeconds, resultPaths, labels, internet,
                callbackUrl, resultsTo);
    }

    /** A file's content and how it is encoded: "utf-8" (null means the same) or "base64". */
    public record FileContent(String content, String encoding) {

        public static FileContent text(String content) {
            return new FileContent(content, "utf-8");
        }
    }
}
