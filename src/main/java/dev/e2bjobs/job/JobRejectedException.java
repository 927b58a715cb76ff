package dev.e2bjobs.job;

/**
 * A request the service refuses, with a stable machine-readable code: the edge turns it into a 4xx
 * problem response. Nothing was stored and no sandbox was created.
 */
public class JobRejectedException extends RuntimeException {

    /** Which kind of client error, so the edge can pick the status code. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    private final Kind kind;
    private final String code;

    public JobRejectedException(Kind kind, String code, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
    }

    public static JobRejectedException invalid(String code, String message) {
        return new JobRejectedException(Kind.INVALID, code, message);
    }

    public static JobRejectedException notFound(String jobId) {
        return new JobRejectedException(Kind.NOT_FOUND, "JOB_NOT_FOUND", "no job " + jobId);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }
}
