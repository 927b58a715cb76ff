package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AWS Secrets Manager's {@code GetSecretValue} on 127.0.0.1, enough for the unmodified AWS SDK's
 * {@code SecretsManagerClient} (endpoint override {@link #url()}): AWS JSON 1.1, {@code POST /} with
 * {@code X-Amz-Target: secretsmanager.GetSecretValue} and {@code {"SecretId": name or ARN}}. Like
 * every local stand-in, it accepts any SigV4 signature. Secrets are set with {@link #put}, or over
 * HTTP with {@code PUT /_local/secrets/{name}} (the body is the new SecretString), which is how a
 * test rotates one.
 */
public final class LocalSecretsManager implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARN_PREFIX = "arn:aws:secretsmanager:us-east-1:000000000000:secret:";
    private static final String ADMIN_PREFIX = "/_local/secrets/";

    /** One secret's current version. */
    private record Secret(String name, String value, String versionId, Instant created) {
    }

    private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
    private final HttpServer http;

    /** Serves on {@code port} (0: a free one), with no secrets yet. */
    public LocalSecretsManager(int port) throws IOException {
        this.http = LocalHttp.serve(port, "secrets-manager", this::handle);
    }

    /** The endpoint for the SDK's endpoint override, e.g. http://127.0.0.1:41234. */
    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** The ARN of the secret called {@code name} (AWS adds a random suffix; here there is none). */
    public static String arn(String name) {
        return ARN_PREFIX + name;
    }

    /** Creates the secret, or rotates it: a new version becomes AWSCURRENT. Its ARN. */
    public String put(String name, String value) {
        return arn(store(name, value).name());
    }

    private Secret store(String name, String value) {
        Secret secret = new Secret(name, value, UUID.randomUUID().toString(), Instant.now());
        secrets.put(name, secret);
        return secret;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (exchange.getRequestMethod().equals("PUT") && path.startsWith(ADMIN_PREFIX)) {
                rotate(exchange, URLDecoder.decode(path.substring(ADMIN_PREFIX.length()), StandardCharsets.UTF_8));
            } else if (exchange.getRequestMethod().equals("POST") && path.equals("/") && "secretsmanager.GetSecretValue".equals(target)) {
                getSecretValue(exchange, JSON.readTree(exchange.getRequestBody()).path("SecretId").asText());
            } else {
                error(exchange, "UnknownOperationException", "The local Secrets Manager serves GetSecretValue only, not " + target);
            }
        }
    }

    /** PUT /_local/secrets/{name}: the body is the new value; answers like PutSecretValue. */
    private void rotate(HttpExchange exchange, String name) throws IOException {
        Secret secret = store(name, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        LocalHttp.sendJson(exchange, 200, JSON.createObjectNode().put("ARN", arn(name)).put("Name", name)
                .put("VersionId", secret.versionId()).toString());
    }

    /** By name or by ARN, as AWS takes a SecretId. */
    private void getSecretValue(HttpExchange exchange, String secretId) throws IOException {
        Secret secret = secrets.get(secretId.startsWith(ARN_PREFIX) ? secretId.substring(ARN_PREFIX.length()) : secretId);
        if (secret == null) {
            error(exchange, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("ARN", arn(secret.name())).put("Name", secret.name())
                .put("SecretString", secret.value()).put("VersionId", secret.versionId());
        answer.putArray("VersionStages").add("AWSCURRENT");
        answer.put("CreatedDate", BigDecimal.valueOf(secret.created().toEpochMilli(), 3)); // epoch seconds, as AWS sends it
        send(exchange, 200, answer);
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        send(exchange, 400, JSON.createObjectNode().put("__type", type).put("message", message));
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        LocalHttp.send(exchange, status, "application/x-amz-json-1.1", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
