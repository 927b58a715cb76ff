package dev.e2bjobs.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** E2B's error answers map to one failure mode each; the wire forms come from e2b-protocol.md. */
class E2bErrorsTest {

    private static SandboxException http(int status, String body) {
        return E2bErrors.fromHttp(status, body, null, "test");
    }

    @Test
    void httpStatusesMapToFailureModes() {
        assertInstanceOf(SandboxRequestInvalidException.class, http(400, "{\"code\":400,\"message\":\"Timeout cannot be greater than 24 hours\"}"));
        assertInstanceOf(SandboxUnauthorizedException.class, http(401, "{\"code\":401,\"message\":\"Invalid API key\"}"));
        assertInstanceOf(SandboxUnauthorizedException.class, http(403, "{\"code\":403,\"message\":\"forbidden\"}"));
        assertInstanceOf(SandboxNotFoundException.class, http(404, "{\"code\":404,\"message\":\"Sandbox \\\"x\\\" doesn't exist\"}"));
        assertInstanceOf(SandboxConflictException.class, http(409, "{\"code\":409,\"message\":\"already paused\"}"));
        assertInstanceOf(SandboxRateLimitedException.class, http(429, "{\"code\":429,\"message\":\"Rate limit exceeded\"}"));
        for (int status : new int[] {500, 503, 504}) {
            assertInstanceOf(SandboxUnavailableException.class, http(status, "upstream request timeout"), "status " + status);
        }
        assertTrue(http(400, "{\"code\":400,\"message\":\"Invalid sandbox ID\"}").getMessage().contains("Invalid sandbox ID"));
    }

    @Test
    void a502IsAGoneSandboxOnlyWhenTheProxySaysSo() {
        assertInstanceOf(SandboxNotFoundException.class,
                http(502, "{\"sandboxId\":\"ix\",\"message\":\"The sandbox was not found\",\"code\":502}"));
        assertInstanceOf(SandboxUnavailableException.class,
                http(502, "{\"sandboxId\":\"ix\",\"message\":\"The sandbox is running but port is not open\",\"port\":49983,\"code\":502}"));
        assertInstanceOf(SandboxUnavailableException.class, http(502, "<html>Bad Gateway</html>"));
    }

    @Test
    void connectCodesMapToFailureModesAndProxyAnswersFallBackToTheStatus() {
        assertInstanceOf(SandboxRequestInvalidException.class,
                E2bErrors.fromConnect(400, "{\"code\":\"invalid_argument\",\"message\":\"cwd '/x' does not exist\"}", null, "t"));
        assertInstanceOf(SandboxUnauthorizedException.class, E2bErrors.fromConnect(401, "{\"code\":\"unauthenticated\"}", null, "t"));
        assertInstanceOf(SandboxConflictException.class, E2bErrors.fromConnect(409, "{\"code\":\"already_exists\"}", null, "t"));
        assertInstanceOf(SandboxRateLimitedException.class, E2bErrors.fromConnect(429, "{\"code\":\"resource_exhausted\"}", null, "t"));
        assertInstanceOf(SandboxUnavailableException.class, E2bErrors.fromConnect(503, "{\"code\":\"unavailable\"}", null, "t"));
        assertInstanceOf(SandboxNotFoundException.class,
                E2bErrors.fromConnect(502, "{\"sandboxId\":\"ix\",\"message\":\"The sandbox was not found\",\"code\":502}", null, "t"));
    }

    @Test
    void retryAfterIsReadInSecondsOrAsADate() {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        assertEquals(Duration.ofSeconds(7), E2bErrors.parseRetryAfter(" 7 ", now));
        assertEquals(Duration.ofSeconds(30), E2bErrors.parseRetryAfter("Sat, 21 Nov 2026 10:00:30 GMT", now));
        assertEquals(Duration.ZERO, E2bErrors.parseRetryAfter("Sat, 21 Nov 2026 09:00:00 GMT", now));
        assertNull(E2bErrors.parseRetryAfter("soon", now));
        assertNull(E2bErrors.parseRetryAfter(null, now));
        SandboxRateLimitedException limited = (SandboxRateLimitedException) E2bErrors.fromHttp(429, "", "2", "t");
        assertEquals(Duration.ofSeconds(2), limited.retryAfter().orElseThrow());
    }

    @Test
    void ioFailuresAreUnavailable() {
        assertInstanceOf(SandboxUnavailableException.class, E2bErrors.fromIo(new IOException("connection reset"), "t"));
    }

    @Test
    void metadataFiltersAreEncodedAsTheSdksSendThem() {
        // observed from e2b@2.51.0: {user: "a b"} goes out as ?metadata=user%3Da%252520b
        assertEquals("user%3Da%252520b", E2bApi.metadataQuery(Map.of("user", "a b")));
        Map<String, String> two = new LinkedHashMap<>();
        two.put("e2bjobs.jobId", "01J&X=Y");
        two.put("owner", "ann");
        assertEquals("e2bjobs.jobId%3D01J%252526X%25253DY%26owner%3Dann", E2bApi.metadataQuery(two));
    }
}
