package dev.e2bjobs.function;

import dev.e2bjobs.job.JobRejectedException;
import dev.e2bjobs.job.JobStatus;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.job.JobView;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** GET /jobs: one page of the caller's jobs and the cursor of the next. */
@RegisterForReflection
public record JobList(List<JobView> jobs, String nextCursor) {

    static JobList of(JobStore.JobPage page) {
        return new JobList(page.jobs().stream().map(JobView::of).toList(), page.nextCursor());
    }

    static JobStatus status(String value) {
        if (value == null) {
            return null;
        }
        try {
            return JobStatus.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw JobRejectedException.invalid("STATUS_INVALID", "status must be one of " + List.of(JobStatus.values()));
        }
    }

    static int limit(String value) {
        try {
            int limit = value == null ? 20 : Integer.parseInt(value);
            if (limit >= 1 && limit <= 100) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // fall through to the rejection
        }
        throw JobRejectedException.invalid("LIMIT_INVALID", "limit must be within 1..100");
    }
}
