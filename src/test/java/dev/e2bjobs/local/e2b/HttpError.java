package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** An HTTP error answered with a JSON body; E2B clients branch on the body's {@code code}. */
final class HttpError extends RuntimeException {
    final int status;
    final ObjectNode body;
    final Map<String, String> headers;

    HttpError(int status, ObjectNode body, Map<String, String> headers) {
        super(body.path("message").asText());
        this.status = status;
        this.body = body;
        this.headers = headers;
    }

    /** The control plane and envd REST shape: {"code": status, "message": ...}. */
    static HttpError of(int status, String message) {
        return new HttpError(status, Json.object().put("code", status).put("message", message), Map.of());
    }

    static HttpError sandboxNotFound(String sandboxId) {
        return notFoundOnProxy(sandboxId, "The sandbox was not found");
    }

    static HttpError portNotOpen(String sandboxId, int port) {
        HttpError error = notFoundOnProxy(sandboxId, "The sandbox is running but port is not open");
        error.body.put("port", port);
        return error;
    }

    static HttpError notFoundOnProxy(String sandboxId, String message) {
        return new HttpError(502, Json.object().put("sandboxId", sandboxId).put("message", message).put("code", 502), Map.of());
    }
}
