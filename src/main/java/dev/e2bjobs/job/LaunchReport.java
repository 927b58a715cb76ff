package dev.e2bjobs.job;

import java.util.List;

/** What one launch did: jobs started, put back in line, failed for good, or overtaken (cancelled or retried by another) while starting. */
public record LaunchReport(int started, int requeued, int failed, int overtaken) {

    static LaunchReport of(List<JobLauncher.Start> starts) {
        return new LaunchReport(count(starts, JobLauncher.Start.STARTED), count(starts, JobLauncher.Start.REQUEUED),
                count(starts, JobLauncher.Start.FAILED), count(starts, JobLauncher.Start.OVERTAKEN));
    }

    private static int count(List<JobLauncher.Start> starts, JobLauncher.Start kind) {
        return (int) starts.stream().filter(kind::equals).count();
    }
}
