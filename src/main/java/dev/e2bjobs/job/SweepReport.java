package dev.e2bjobs.job;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What one sweep did. */
@RegisterForReflection
public record SweepReport(int examined, int finalized, int timedOut, int startFailures, int started, int reaped, int errors) {
}
