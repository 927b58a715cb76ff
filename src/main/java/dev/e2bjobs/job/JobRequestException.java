package dev.e2bjobs.job;

/**
 * A request the service refuses, with a stable machine-readable code (part of the HTTP API, listed in
 * its OpenAPI file). Nothing was stored and no sandbox was created.
 */
public abstract class JobRequestException extends RuntimeException {
    private final String code;

    protected JobRequestException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
