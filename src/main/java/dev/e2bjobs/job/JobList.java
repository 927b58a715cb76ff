package dev.e2bjobs.job;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** One page of a caller's jobs and the cursor of the next (null on the last page). */
@RegisterForReflection
public record JobList(List<JobView> jobs, String nextCursor) {
}
