package dev.e2bjobs.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.sandbox.SandboxConflictException;
import dev.e2bjobs.sandbox.SandboxException;
import dev.e2bjobs.sandbox.SandboxNotFoundException;
import dev.e2bjobs.sandbox.SandboxRateLimitedException;
import dev.e2bjobs.sandbox.SandboxRequestInvalidException;
import dev.e2bjobs.sandbox.SandboxUnauthorizedException;
import dev.e2bjobs.sandbox.SandboxUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Turns E2B's error answers into one exception per failure mode. The control plane and envd's REST
 * routes answer {"code": status, "message": ...}; E2B's proxy answers 502 with "The sandbox was not
 * found" for a sandbox that is gone; Connect RPC answers {"code": "not_found", ...} with a string code.
 */
public final class E2bErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SANDBOX_GONE = "sandbox was not found";

    private E2bErrors() {
    }

    /** An HTTP error answer from the control plane, envd REST routes or E2B's proxy. */
    public static SandboxException fromHttp(int status, String body, String retryAfter, String call) {
        JsonNode json = parse(body);
        String message = call + ": " + status + " " + json.path("message").asText(body == null ? "" : body).trim();
        return switch (status) {
            case 400, 405, 413, 414, 416, 422, 507 -> new SandboxRequestInvalidException(message, null);
            case 401, 403 -> new SandboxUnauthorizedException(message, null);
            case 404 -> new SandboxNotFoundException(message, null);
            case 409 -> new SandboxConflictException(message, null);
            case 429 -> new SandboxRateLimitedException(message, parseRetryAfter(retryAfter, Instant.now()));
            case 502 -> json.path("message").asText().toLowerCase(java.util.Locale.ROOT).contains(SANDBOX_GONE)
                    ? new SandboxNotFoundException(message, null)
                    : new SandboxUnavailableException(message, null);
            default -> status >= 500 ? new SandboxUnavailableException(message, null)
                    : new SandboxRequestInvalidException(message, null);
        };
    }

    /**
     * A Connect RPC error: the string code decides. A non-Connect body (an error from E2B's proxy in
     * front of envd) falls back to the HTTP status.
     */
    public static SandboxException fromConnect(int status, String body, String retryAfter, String call) {
        JsonNode json = parse(body);
        JsonNode code = json.path("code");
        if (!code.isTextual()) {
            return fromHttp(status, body, retryAfter, call);
        }
        String message = call + ": " + code.asText() + " " + json.path("message").asText();
        return switch (code.asText()) {
            case "invalid_argument", "failed_precondition", "out_of_range", "unimplemented" ->
                    new SandboxRequestInvalidException(message, null);
            case "unauthenticated", "permission_denied" -> new SandboxUnauthorizedException(message, null);
            case "not_found" -> new SandboxNotFoundException(message, null);
            case "already_exists", "aborted" -> new SandboxConflictException(message, null);
            case "resource_exhausted" -> new SandboxRateLimitedException(message, parseRetryAfter(retryAfter, Instant.now()));
            default -> new SandboxUnavailableException(message, null);
        };
    }

    /** The connection failed or broke mid-answer: worth another attempt. */
    public static SandboxUnavailableException fromIo(IOException e, String call) {
        return new SandboxUnavailableException(call + ": " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
    }

    /** Retry-After as delay-seconds or an HTTP date (RFC 9110); null when absent or unreadable. */
    static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
