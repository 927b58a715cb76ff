package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * API Gateway's HTTP API on 127.0.0.1, as AWS runs it in front of our functions: each request becomes
 * a payload-2.0 event for the function its route names, and the function's answer becomes the
 * HTTP response. Unknown routes get API Gateway's own 404. Every route has a JWT authorizer: a
 * request without a token that {@link LocalJwt} accepts gets 401 and reaches no function; the
 * event of one with such a token carries its claims.
 */
final class Gateway implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    /** HTTP API's maximum integration timeout: a function slower than this leaves its caller with 503. */
    static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(29);
    /** HTTP API's maximum request payload. (Lambda's 6 MB response limit is the Runtime API's: {@link RuntimeApi#MAX_PAYLOAD_BYTES}.) */
    static final int MAX_REQUEST_BYTES = 10 * 1024 * 1024;

    private final HttpServer http;
    private final Routes routes;
    private final Function<String, ? extends Invocable> functions;
    private final LocalJwt tokens;

    Gateway(int port, Routes routes, Function<String, ? extends Invocable> functions, LocalJwt tokens) throws IOException {
        this.routes = routes;
        this.functions = functions;
        this.tokens = tokens;
        this.http = LocalHttp.serve(port, "local-gateway", this::handle);
    }

    int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            for (Routes.Route route : routes.http()) {
                Optional<Map<String, String>> parameters = route.match(method, path);
                if (parameters.isPresent()) {
                    forward(exchange, route, parameters.get());
                    return;
                }
            }
            message(exchange, 404, "Not Found");
        }
    }

    /** API Gateway's answers of its own: its limits, and the authorizer's refusal (its reason in www-authenticate). */
    private void forward(HttpExchange exchange, Routes.Route route, Map<String, String> parameters) throws IOException {
        Optional<byte[]> body = LocalHttp.body(exchange, MAX_REQUEST_BYTES);
        if (body.isEmpty()) {
            message(exchange, 413, "Request Entity Too Large");
            return;
        }
        try {
            ObjectNode authorizer = authorize(exchange.getRequestHeaders().getFirst("Authorization"));
            invoke(exchange, route.function(), event(exchange, route, parameters, body.get(), authorizer).toString());
        } catch (LocalJwt.InvalidTokenException e) {
            exchange.getResponseHeaders().set("www-authenticate",
                    "Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + e.getMessage() + "\"");
            message(exchange, 401, "Unauthorized");
        }
    }

    /** The requestContext.authorizer of a valid token: as API Gateway puts them, every claim as a string and the scopes. */
    private ObjectNode authorize(String header) throws LocalJwt.InvalidTokenException {
        if (header == null || header.isBlank()) {
            throw new LocalJwt.InvalidTokenException("the request has no token in its Authorization header");
        }
        // API Gateway takes the token alone or prefixed with "Bearer "
        ObjectNode claims = tokens.verify(header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : header.trim());
        ObjectNode jwt = JSON.createObjectNode();
        ObjectNode strings = jwt.putObject("claims");
        claims.fields().forEachRemaining(claim -> strings.put(claim.getKey(), claimText(claim.getValue())));
        jwt.set("scopes", scopes(claims));
        return (ObjectNode) JSON.createObjectNode().set("jwt", jwt);
    }

    /** A claim as API Gateway flattens it: a list as "[a b]", an object as its JSON. */
    private static String claimText(JsonNode value) {
        if (value.isArray()) {
            List<String> entries = new ArrayList<>();
            value.forEach(entry -> entries.add(claimText(entry)));
            return "[" + String.join(" ", entries) + "]";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** {@code scope} (space-separated) or {@code scp} (a list or a string) as a list; null without either. */
    private static JsonNode scopes(ObjectNode claims) {
        JsonNode scope = claims.has("scope") ? claims.get("scope") : claims.get("scp");
        if (scope == null) {
            return NullNode.instance;
        }
        ArrayNode scopes = JSON.createArrayNode();
        if (scope.isArray()) {
            scope.forEach(entry -> scopes.add(entry.asText()));
        } else {
            Arrays.stream(scope.asText().split("\\s+")).filter(entry -> !entry.isEmpty()).forEach(scopes::add);
        }
        return scopes;
    }

    /** A function that failed or took too long gets API Gateway's own answer. */
    private void invoke(HttpExchange exchange, String function, String event) throws IOException {
        try {
            respond(exchange, functions.apply(function).invoke(event, INTEGRATION_TIMEOUT));
        } catch (TimeoutException e) {
            message(exchange, 503, "Service Unavailable");
        } catch (Exception e) {
            message(exchange, 500, "Internal Server Error");
        }
    }

    /** The function's payload-2.0 response as HTTP; a function error is API Gateway's 500. */
    private static void respond(HttpExchange exchange, Invocable.Outcome outcome) throws IOException {
        if (outcome.error()) {
            message(exchange, 500, "Internal Server Error");
            return;
        }
        JsonNode response = JSON.readTree(outcome.body());
        response.path("headers").fields().forEachRemaining(h -> exchange.getResponseHeaders().set(h.getKey(), h.getValue().asText()));
        String text = response.path("body").asText("");
        byte[] bytes = response.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
        LocalHttp.send(exchange, response.path("statusCode").asInt(200), null, bytes);
    }

    private static void message(HttpExchange exchange, int status, String message) throws IOException {
        LocalHttp.sendJson(exchange, status, JSON.createObjectNode().put("message", message).toString());
    }

    private static ObjectNode event(HttpExchange exchange, Routes.Route route, Map<String, String> parameters, byte[] body,
            ObjectNode authorizer) {
        Instant now = Instant.now();
        ObjectNode event = JSON.createObjectNode().put("version", "2.0").put("routeKey", route.routeKey())
                .put("rawPath", exchange.getRequestURI().getRawPath())
                .put("rawQueryString", Optional.ofNullable(exchange.getRequestURI().getRawQuery()).orElse(""));
        ObjectNode headers = event.putObject("headers");
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null && !query.isEmpty()) {
            ObjectNode parametersNode = event.putObject("queryStringParameters");
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                String key = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
                String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
                parametersNode.put(key, parametersNode.has(key) ? parametersNode.path(key).asText() + "," + value : value);
            }
        }
        if (!parameters.isEmpty()) {
            ObjectNode pathParameters = event.putObject("pathParameters");
            parameters.forEach(pathParameters::put);
        }
        ObjectNode context = event.putObject("requestContext").put("accountId", "000000000000").put("apiId", "local")
                .put("domainName", "127.0.0.1").put("requestId", UUID.randomUUID().toString()).put("routeKey", route.routeKey())
                .put("stage", "$default").put("time", REQUEST_TIME.format(now.atZone(ZoneOffset.UTC))).put("timeEpoch", now.toEpochMilli());
        context.set("authorizer", authorizer);
        context.putObject("http").put("method", exchange.getRequestMethod()).put("path", exchange.getRequestURI().getRawPath())
                .put("protocol", "HTTP/1.1").put("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress())
                .put("userAgent", Optional.ofNullable(exchange.getRequestHeaders().getFirst("User-Agent")).orElse(""));
        if (body.length > 0) {
            try {
                event.put("body", StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body)).toString());
                event.put("isBase64Encoded", false);
            } catch (CharacterCodingException binary) {
                event.put("body", Base64.getEncoder().encodeToString(body));
                event.put("isBase64Encoded", true);
            }
        } else {
            event.put("isBase64Encoded", false);
        }
        return event;
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
