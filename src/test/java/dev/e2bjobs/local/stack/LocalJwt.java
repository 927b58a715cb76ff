package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The local stack's JWT issuer and the check its gateway makes, as an API Gateway JWT authorizer
 * configured with issuer {@link #ISSUER} and audience {@link #AUDIENCE} makes it: RS256 only, signed
 * by this key pair, {@code exp} in the future, {@code nbf} and {@code iat} (if present) not, the
 * issuer, and the audience as {@code aud} or among its entries.
 *
 * <pre>LocalJwt OWNER [seconds, default 3600]   (scripts/token): prints a token whose subject is OWNER</pre>
 */
public final class LocalJwt {
    public static final String ISSUER = "e2b-jobs-local";
    public static final String AUDIENCE = "e2b-jobs";
    /** The stack's key pair (PKCS#8 PEM, relative to the project): kept across restarts, so tokens stay valid. */
    public static final Path KEY_FILE = Path.of("target", "local-jwt-key.pem");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER = encode("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    /** Why a token was refused: the gateway's 401 says it in {@code www-authenticate}, as API Gateway does. */
    static final class InvalidTokenException extends Exception {
        InvalidTokenException(String reason) {
            super(reason);
        }
    }

    private final KeyPair keys;

    private LocalJwt(KeyPair keys) {
        this.keys = keys;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: scripts/token OWNER [seconds, default 3600]");
            System.exit(2);
        }
        Duration lifetime = Duration.ofSeconds(args.length == 2 ? Long.parseLong(args[1]) : 3600);
        System.out.println(load(KEY_FILE).token(args[0], lifetime));
    }

    /** A fresh key pair that lives in memory only: for tests, and for forgeries. */
    static LocalJwt generate() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return new LocalJwt(generator.generateKeyPair());
    }

    /** The key pair in {@code file}, created there on first use. */
    public static LocalJwt load(Path file) throws IOException, GeneralSecurityException {
        if (!Files.exists(file)) {
            create(file);
        }
        String pem = Files.readString(file).replaceAll("-----[A-Z ]+-----|\\s", "");
        KeyFactory rsa = KeyFactory.getInstance("RSA");
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        return new LocalJwt(new KeyPair(rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent())), key));
    }

    /** Written aside, then linked into place: a reader never sees half a key, and of two racing creators the first wins. */
    private static void create(Path file) throws IOException, GeneralSecurityException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path written = Files.createTempFile(file.toAbsolutePath().getParent(), "local-jwt-", ".pem",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(written, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                    generate().keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
            Files.createLink(file, written);
        } catch (FileAlreadyExistsException raced) {
            // another process created it first: use theirs
        } finally {
            Files.delete(written);
        }
    }

    /** A token for {@code subject}, valid for {@code lifetime} from now (a negative one makes it expired). */
    public String token(String subject, Duration lifetime) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("aud", AUDIENCE).put("sub", subject)
                .put("iat", now).put("exp", now + lifetime.toSeconds());
        return sign(claims);
    }

    /** An Authorization header for {@code subject}, good for an hour: longer than any test, benchmark or example job. */
    public String bearer(String subject) {
        return "Bearer " + token(subject, Duration.ofHours(1));
    }

    /** Any claims, signed RS256 with this key pair. */
    String sign(ObjectNode claims) {
        String signed = HEADER + "." + encode(claims.toString().getBytes(StandardCharsets.UTF_8));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(keys.getPrivate());
            rs256.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + encode(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK signs RS256", e);
        }
    }

    /** The claims of a token that passes every check, else why not; checked in API Gateway's order. */
    ObjectNode verify(String token) throws InvalidTokenException {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw new InvalidTokenException("the token is malformed");
        }
        ObjectNode header = decode(parts[0]);
        ObjectNode claims = decode(parts[1]);
        if (!header.path("alg").asText().equals("RS256")) {
            throw new InvalidTokenException("the token's signing algorithm is not RS256");
        }
        if (!signatureValid(parts)) {
            throw new InvalidTokenException("the token's signature is invalid");
        }
        checkClaims(claims);
        return claims;
    }

    /** A signature that is not even base64url, or not of this key's length, is as invalid as a wrong one. */
    private boolean signatureValid(String[] parts) {
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(keys.getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    private static void checkClaims(JsonNode claims) throws InvalidTokenException {
        long now = Instant.now().getEpochSecond();
        if (!claims.path("exp").isNumber() || claims.path("exp").asLong() <= now) {
            throw new InvalidTokenException("the token has expired");
        }
        if (claims.path("nbf").asLong(now) > now || claims.path("iat").asLong(now) > now) {
            throw new InvalidTokenException("the token is not valid yet");
        }
        if (!claims.path("iss").asText().equals(ISSUER)) {
            throw new InvalidTokenException("the token does not have a valid issuer");
        }
        if (!forUs(claims.path("aud"))) {
            throw new InvalidTokenException("the token does not have a valid audience");
        }
    }

    /** {@code aud} is our audience, or a list that names it. */
    private static boolean forUs(JsonNode audience) {
        if (!audience.isArray()) {
            return audience.asText().equals(AUDIENCE);
        }
        for (JsonNode entry : audience) {
            if (entry.asText().equals(AUDIENCE)) {
                return true;
            }
        }
        return false;
    }

    /** A header or claims part: base64url of a JSON object. */
    private static ObjectNode decode(String part) throws InvalidTokenException {
        JsonNode node;
        try {
            node = JSON.readTree(Base64.getUrlDecoder().decode(part));
        } catch (IllegalArgumentException | IOException e) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            throw new InvalidTokenException("the token is malformed");
        }
        return (ObjectNode) node;
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
