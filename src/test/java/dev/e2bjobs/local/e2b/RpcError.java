package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** A Connect RPC error: a snake_case code and a message, as connect-go sends them. */
final class RpcError extends RuntimeException {
    /** Connect's code → HTTP status table, used for unary errors. */
    private static final Map<String, Integer> HTTP_STATUS = Map.ofEntries(
            Map.entry("canceled", 499), Map.entry("unknown", 500), Map.entry("invalid_argument", 400),
            Map.entry("deadline_exceeded", 504), Map.entry("not_found", 404), Map.entry("already_exists", 409),
            Map.entry("permission_denied", 403), Map.entry("resource_exhausted", 429),
            Map.entry("failed_precondition", 400), Map.entry("aborted", 409), Map.entry("out_of_range", 400),
            Map.entry("unimplemented", 501), Map.entry("internal", 500), Map.entry("unavailable", 503),
            Map.entry("data_loss", 500), Map.entry("unauthenticated", 401));

    final String code;

    RpcError(String code, String message) {
        super(message);
        if (!HTTP_STATUS.containsKey(code)) {
            throw new IllegalArgumentException("not a Connect error code: " + code);
        }
        this.code = code;
    }

    int httpStatus() {
        return HTTP_STATUS.get(code);
    }

    ObjectNode body() {
        return Json.object().put("code", code).put("message", getMessage());
    }
}
