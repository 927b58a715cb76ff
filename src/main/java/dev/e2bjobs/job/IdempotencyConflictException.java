package dev.e2bjobs.job;

/** An Idempotency-Key that names another payload, or a request with the key that is still being served. */
public class IdempotencyConflictException extends JobRequestException {

    public static IdempotencyConflictException reused(String key) {
        return new IdempotencyConflictException("IDEMPOTENCY_KEY_REUSED", "Idempotency-Key '" + key + "' was used for a different request");
    }

    public static IdempotencyConflictException inProgress(String key) {
        return new IdempotencyConflictException("REQUEST_IN_PROGRESS",
                "a request with Idempotency-Key '" + key + "' is still being served; retry shortly");
    }

    /** Whether the key's first request is still being served (a retry later gets its answer). */
    public boolean inProgress() {
        return code().equals("REQUEST_IN_PROGRESS");
    }

    private IdempotencyConflictException(String code, String message) {
        super(code, message);
    }
}
