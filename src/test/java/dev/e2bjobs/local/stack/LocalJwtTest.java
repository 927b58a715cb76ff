package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local authorizer's token check: what it accepts, and each reason it refuses a token. */
class LocalJwtTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalJwt tokens;

    @BeforeAll
    static void keys() throws Exception {
        tokens = LocalJwt.generate();
    }

    /** Claims that pass every check; tests spoil one at a time. */
    private static ObjectNode validClaims() {
        long now = Instant.now().getEpochSecond();
        return JSON.createObjectNode().put("iss", LocalJwt.ISSUER).put("aud", LocalJwt.AUDIENCE).put("sub", "alice")
                .put("iat", now).put("exp", now + 60);
    }

    private static String refusal(String token) {
        return assertThrows(LocalJwt.InvalidTokenException.class, () -> tokens.verify(token)).getMessage();
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValidTokenGivesItsClaims() throws Exception {
        ObjectNode claims = tokens.verify(tokens.token("alice", Duration.ofMinutes(5)));
        assertEquals("alice", claims.path("sub").asText());
        assertEquals(LocalJwt.ISSUER, claims.path("iss").asText());
        assertEquals(LocalJwt.AUDIENCE, claims.path("aud").asText());
        assertEquals(Instant.now().getEpochSecond() + 300, claims.path("exp").asLong(), 2);
    }

    @Test
    void theAudienceMayBeAListThatNamesIt() throws Exception {
        ObjectNode claims = validClaims();
        claims.putArray("aud").add("other").add(LocalJwt.AUDIENCE);
        assertEquals("alice", tokens.verify(tokens.sign(claims)).path("sub").asText());
    }

    @Test
    void anExpiredTokenOrOneWithoutExpiryIsRefused() {
        assertEquals("the token has expired", refusal(tokens.token("alice", Duration.ofSeconds(-1))));
        ObjectNode noExpiry = validClaims();
        noExpiry.remove("exp");
        assertEquals("the token has expired", refusal(tokens.sign(noExpiry)));
    }

    @Test
    void aTokenNotValidYetIsRefused() {
        assertEquals("the token is not valid yet", refusal(tokens.sign(validClaims().put("nbf", Instant.now().getEpochSecond() + 60))));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        assertEquals("the token does not have a valid audience", refusal(tokens.sign(validClaims().put("aud", "someone-else"))));
        ObjectNode list = validClaims();
        list.putArray("aud").add("someone-else");
        assertEquals("the token does not have a valid audience", refusal(tokens.sign(list)));
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        assertEquals("the token does not have a valid issuer", refusal(tokens.sign(validClaims().put("iss", "https://issuer.example"))));
    }

    @Test
    void aTokenWhoseSignatureDoesNotMatchIsRefused() throws Exception {
        String[] parts = tokens.token("alice", Duration.ofMinutes(5)).split("\\.");
        String otherSubject = base64Url(validClaims().put("sub", "mallory").toString());
        assertEquals("the token's signature is invalid", refusal(parts[0] + "." + otherSubject + "." + parts[2]));
        assertEquals("the token's signature is invalid", refusal(LocalJwt.generate().token("alice", Duration.ofMinutes(5))));
        assertEquals("the token's signature is invalid", refusal(parts[0] + "." + parts[1] + ".!!"));
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String payload = base64Url(validClaims().toString());
        assertEquals("the token's signing algorithm is not RS256", refusal(base64Url("{\"alg\":\"none\"}") + "." + payload + "."));
        assertEquals("the token's signing algorithm is not RS256", refusal(base64Url("{\"alg\":\"HS256\"}") + "." + payload + ".c2ln"));
    }

    @Test
    void aMalformedTokenIsRefused() {
        String header = base64Url("{\"alg\":\"RS256\"}");
        for (String token : new String[] {"", "not-a-jwt", "a.b", "a.b.c.d", "%%%." + header + ".x", header + "." + base64Url("[1]") + ".x"}) {
            assertEquals("the token is malformed", refusal(token), token);
        }
    }

    @Test
    void theKeyFileIsCreatedOnFirstUseForItsOwnerOnlyAndReusedAfterwards(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub").resolve("key.pem");
        String token = LocalJwt.load(file).token("alice", Duration.ofMinutes(5));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals("alice", LocalJwt.load(file).verify(token).path("sub").asText(), "a restarted stack still accepts the token");
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "nothing left beside the key");
        }
    }
}
