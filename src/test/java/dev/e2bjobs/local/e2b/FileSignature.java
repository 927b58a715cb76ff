package dev.e2bjobs.local.e2b;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;

/**
 * envd's signed /files URLs (the SDK's downloadUrl / uploadUrl for secured sandboxes): "v1_" + unpadded
 * base64 of sha256("path:read|write:username:accessToken[:expiration]"), path and username as the query
 * carries them ("" when absent). Messages are envd's (api/auth.go validateSigning).
 */
final class FileSignature {
    private FileSignature() {
    }

    /** Whether a request carries a signature in place of a sandbox's access token. */
    static boolean isSigned(Exchange ex) {
        return ex.path.equals("/files") && ex.query("signature") != null;
    }

    /** The sandbox whose access token made this request's signature, if any did. */
    static Optional<Sandbox> signer(Exchange ex, Collection<Sandbox> sandboxes) {
        String signature = ex.query("signature");
        return sandboxes.stream()
                .filter(sandbox -> sandbox.accessToken != null && matches(signature, expected(ex, sandbox.accessToken)))
                .findFirst();
    }

    /** The access token if the header is sent, else a valid and unexpired signature; 401 otherwise. */
    static void check(Exchange ex, String accessToken) {
        if (accessToken == null) {
            return;
        }
        String token = ex.header("X-Access-Token");
        if (token != null && !token.isEmpty()) {
            if (!matches(token, accessToken)) {
                throw HttpError.of(401, "access token present in header but does not match");
            }
            return;
        }
        String signature = ex.query("signature");
        if (signature == null) {
            throw HttpError.of(401, "missing signature query parameter");
        }
        if (!matches(signature, expected(ex, accessToken))) {
            throw HttpError.of(401, "invalid signature");
        }
        Long expiration = expiration(ex);
        if (expiration != null && expiration < Instant.now().getEpochSecond()) {
            throw HttpError.of(401, "signature is already expired");
        }
    }

    private static String expected(Exchange ex, String accessToken) {
        Long expiration = expiration(ex);
        String operation = ex.method.equals("POST") ? "write" : "read";
        String payload = String.join(":", orEmpty(ex.query("path")), operation, orEmpty(ex.query("username")), accessToken)
                + (expiration == null ? "" : ":" + expiration);
        return "v1_" + Base64.getEncoder().withoutPadding().encodeToString(sha256(payload));
    }

    /** The expiration in unix seconds; envd binds it as an integer, so anything else is a 400. */
    private static Long expiration(Exchange ex) {
        String value = ex.query("signature_expiration");
        try {
            return value == null ? null : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw HttpError.of(400, "Invalid format for parameter signature_expiration: " + value);
        }
    }

    /** Compared in constant time, as envd does, so a signature cannot be guessed byte by byte. */
    private static boolean matches(String given, String expected) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static byte[] sha256(String payload) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(payload.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
