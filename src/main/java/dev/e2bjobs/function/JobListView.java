package dev.e2bjobs.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.job.JobSummary;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One page of GET /jobs: job summaries (no output or result files: GET /jobs/{jobId} has them, and a
 * page of them could exceed Lambda's 6 MB response) and the cursor of the next page (absent on the last).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobListView(List<Summary> jobs, String nextCursor) {

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(String jobId, String status, Map<String, String> labels, Instant createdAt, Instant startedAt,
            Instant finishedAt, Integer exitCode, JobView.Error error) {
    }

    public static JobListView of(JobStore.JobPage page) {
        return new JobListView(page.jobs().stream().map(JobListView::summary).toList(), page.nextCursor());
    }

    private static Summary summary(JobSummary job) {
        return new Summary(job.jobId(), job.status().name(), job.labels(), job.createdAt(), job.startedAt(), job.finishedAt(),
                job.exitCode(), JobView.Error.of(job.error()));
    }
}
