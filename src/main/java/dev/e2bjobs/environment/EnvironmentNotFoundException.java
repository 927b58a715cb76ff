package dev.e2bjobs.environment;

import dev.e2bjobs.job.JobRequestException;

/** No such environment for this caller: another owner's is not found either, so existence is not leaked. */
public class EnvironmentNotFoundException extends JobRequestException {

    public EnvironmentNotFoundException(String environmentId) {
        super("ENVIRONMENT_NOT_FOUND", "no environment " + environmentId);
    }
}
