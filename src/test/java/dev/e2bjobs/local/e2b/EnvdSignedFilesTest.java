package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signed /files URLs as the SDK builds them on E2B_SANDBOX_URL: no sandbox header, only the signature
 * made from the sandbox's access token; and envd's answers when the signature does not hold.
 */
class EnvdSignedFilesTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults());

    @BeforeAll
    static void placeTheSignedFile() {
        E2B.wire().upload(E2B.sandbox(), "/home/user/signed.txt", "signed".getBytes(StandardCharsets.UTF_8));
    }

    /** What the SDK's getSignature computes: v1_ + unpadded base64 of sha256(path:operation:user:token[:expiration]). */
    private static String signature(String path, String operation, Long expiration) throws Exception {
        String payload = path + ":" + operation + "::" + E2B.sandbox().token() + (expiration == null ? "" : ":" + expiration);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.UTF_8));
        return "v1_" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    }

    private static String signedUrl(String path, String signature, Long expiration) {
        return E2B.server().url() + "/files?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)
                + "&signature=" + URLEncoder.encode(signature, StandardCharsets.UTF_8)
                + (expiration == null ? "" : "&signature_expiration=" + expiration);
    }

    private static HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return E2B.wire().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertUnauthorized(String message, HttpResponse<String> response) {
        assertEquals(401, response.statusCode(), response.body());
        JsonNode body = WireClient.json(response.body());
        assertEquals(401, body.path("code").asInt());
        assertEquals(message, body.path("message").asText());
    }

    @Test
    void aSignedDownloadUrlNeedsNoSandboxHeader() throws Exception {
        String path = "/home/user/signed.txt";
        assertEquals("signed", get(signedUrl(path, signature(path, "read", null), null)).body());
        long inAMinute = Instant.now().getEpochSecond() + 60;
        HttpResponse<String> expiring = get(signedUrl(path, signature(path, "read", inAMinute), inAMinute));
        assertEquals(200, expiring.statusCode());
        assertEquals("signed", expiring.body());
    }

    @Test
    void aSignedUploadUrlWritesTheFile() throws Exception {
        String path = "/home/user/uploaded.txt";
        String boundary = "----signed" + System.nanoTime();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"uploaded.txt\"\r\n\r\n"
                + "via signed url\r\n--" + boundary + "--\r\n";
        HttpResponse<String> response = E2B.wire().send(HttpRequest.newBuilder(URI.create(signedUrl(path, signature(path, "write", null), null)))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("via signed url", E2B.wire().download(E2B.sandbox(), path));
    }

    @Test
    void anExpiredSignatureIsRefusedWithEnvdsMessage() throws Exception {
        String path = "/home/user/signed.txt";
        long aMinuteAgo = Instant.now().getEpochSecond() - 60;
        assertUnauthorized("signature is already expired", get(signedUrl(path, signature(path, "read", aMinuteAgo), aMinuteAgo)));
    }

    @Test
    void aSignatureForSomethingElseIsInvalid() throws Exception {
        String path = "/home/user/signed.txt";
        long later = Instant.now().getEpochSecond() + 60;
        assertUnauthorized("invalid signature", get(signedUrl(path, signature("/home/user/other.txt", "read", null), null)));
        assertUnauthorized("invalid signature", get(signedUrl(path, signature(path, "write", null), null)));
        assertUnauthorized("invalid signature", get(signedUrl(path, signature(path, "read", later), later + 3600)));
        assertUnauthorized("invalid signature", get(signedUrl(path, "v1_forged", null), "E2b-Sandbox-Id", E2B.sandbox().id()));
    }

    @Test
    void withTheSandboxHeaderButNoTokenASignatureStillServes() throws Exception {
        String path = "/home/user/signed.txt";
        assertEquals("signed", get(signedUrl(path, signature(path, "read", null), null), "E2b-Sandbox-Id", E2B.sandbox().id()).body());
        String unsigned = E2B.server().url() + "/files?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
        assertUnauthorized("missing signature query parameter", get(unsigned, "E2b-Sandbox-Id", E2B.sandbox().id()));
        assertUnauthorized("access token present in header but does not match",
                get(unsigned, "E2b-Sandbox-Id", E2B.sandbox().id(), "X-Access-Token", "not-the-token"));
    }
}
