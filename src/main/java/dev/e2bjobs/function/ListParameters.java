package dev.e2bjobs.function;

import dev.e2bjobs.job.InvalidJobRequestException;
import dev.e2bjobs.job.JobStatus;
import java.util.List;

/** GET /jobs query parameters, checked. */
final class ListParameters {

    private ListParameters() {
    }

    static JobStatus status(String value) {
        if (value == null) {
            return null;
        }
        try {
            return JobStatus.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobRequestException("STATUS_INVALID", "status must be one of " + List.of(JobStatus.values()));
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
        throw new InvalidJobRequestException("LIMIT_INVALID", "limit must be within 1..100");
    }
}
