package dev.e2bjobs.job;

import java.util.List;

/**
 * What a finished runner left: its exit code, the ends of its stdout and stderr, and the result files.
 *
 * @param exitCode null when the command never ran to an exit code
 */
public record JobOutput(Integer exitCode, OutputTail stdout, OutputTail stderr, List<ResultFile> results) {
    public static final JobOutput NONE = new JobOutput(null, null, null, List.of());

    public JobOutput {
        results = List.copyOf(results);
    }
}
