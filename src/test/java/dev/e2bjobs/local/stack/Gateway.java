package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * API Gateway's HTTP API on 127.0.0.1, as AWS runs it in front of our functions: each request becomes
 * a payload-2.0 event for the function its route names, and the function's answer becomes the
 * HTTP response. Unknown routes get API Gateway's own 404.
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

    Gateway(int port, Routes routes, Function<String, ? extends Invocable> functions) throws IOException {
        this.routes = routes;
        this.functions = functions;
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

    /** API Gateway's answers of its own: its limits, a function that failed or took too long. */
    private void forward(HttpExchange exchange, Routes.Route route, Map<String, String> parameters) throws IOException {
        Optional<byte[]> body = LocalHttp.body(exchange, MAX_REQUEST_BYTES);
        if (body.isEmpty()) {
            message(exchange, 413, "Request Entity Too Large");
            return;
        }
        try {
            String event = event(exchange, route, parameters, body.get()).toString();
            respond(exchange, functions.apply(route.function()).invoke(event, INTEGRATION_TIMEOUT));
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

    private static ObjectNode event(HttpExchange exchange, Routes.Route route, Map<String, String> parameters, byte[] body) {
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
