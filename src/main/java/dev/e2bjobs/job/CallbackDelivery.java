package dev.e2bjobs.job;

import java.time.Instant;

/**
 * How a job's completion callback went.
 *
 * @param attempts    POSTs made so far
 * @param lastStatus  the receiver's last HTTP status, or null when it could not be reached
 * @param lastError   why the last attempt failed, or null
 */
public record CallbackDelivery(State state, int attempts, Integer lastStatus, String lastError, Instant lastAttemptAt) {

    public enum State { DELIVERING, DELIVERED, FAILED }
}
