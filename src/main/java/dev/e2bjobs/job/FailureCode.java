package dev.e2bjobs.job;

/** Why a job FAILED (error.code). */
public enum FailureCode {
    /** The command ran and exited with a non-zero code. */
    EXIT_NONZERO,
    /** pip could not install the dependencies; the command never ran. */
    INSTALL_FAILED,
    /** The sandbox disappeared before the command's exit code was written. */
    SANDBOX_LOST,
    /** The runner process is gone without having written an exit code. */
    RUNNER_LOST,
    /** E2B could not be reached or kept failing. */
    E2B_UNAVAILABLE,
    /** The sandbox could not be prepared or the runner could not be started. */
    START_FAILED;

    JobError error(String message) {
        return new JobError(name(), message);
    }
}
