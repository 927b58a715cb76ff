package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * API Gateway's HTTP API on 127.0.0.1, as AWS runs it in front of our functions: each request becomes
 * a payload-2.0 event for the function its route names, and the function's answer becomes the
 * HTTP response. Unknown routes get API Gateway's own 404.
 */
final class Gateway implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter REQUEST_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private static final Duration FUNCTION_TIMEOUT = Duration.ofSeconds(60);

    private final HttpServer http;
    private final Routes routes;
    private final Function<String, RuntimeApi> functions;

    Gateway(int port, Routes routes, Function<String, RuntimeApi> functions) throws IOException {
        this.routes = routes;
        this.functions = functions;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        http.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "local-gateway");
            thread.setDaemon(true);
            return thread;
        }));
        http.createContext("/", this::handle);
        http.start();
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
            send(exchange, 404, "application/json", "{\"message\":\"Not Found\"}".getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            send(exchange, 500, "application/json", "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void forward(HttpExchange exchange, Routes.Route route, Map<String, String> parameters) throws Exception {
        byte[] body = exchange.getRequestBody().readAllBytes();
        RuntimeApi.Outcome outcome = functions.apply(route.function()).invoke(event(exchange, route, parameters, body).toString(), FUNCTION_TIMEOUT);
        if (outcome.error()) {
            send(exchange, 500, "application/json", "{\"message\":\"Internal Server Error\"}".getBytes(StandardCharsets.UTF_8));
            return;
        }
        JsonNode response = JSON.readTree(outcome.body());
        response.path("headers").fields().forEachRemaining(h -> exchange.getResponseHeaders().set(h.getKey(), h.getValue().asText()));
        String text = response.path("body").asText("");
        byte[] bytes = response.path("isBase64Encoded").asBoolean() ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
        send(exchange, response.path("statusCode").asInt(200), null, bytes);
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

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
