package dev.e2bjobs.job;

/** What went wrong with a job, for FAILED, TIMED_OUT and CANCELLED jobs. */
public record JobError(String code, String message) {
}
