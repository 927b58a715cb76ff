package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A thin view over one JDK HttpExchange: query decoded once, body read once, JSON answers. */
final class Exchange {
    final HttpExchange http;
    final String method;
    final String path;
    final Map<String, String> query;
    private byte[] body;

    Exchange(HttpExchange http) {
        this.http = http;
        this.method = http.getRequestMethod();
        this.path = http.getRequestURI().getRawPath() == null ? "/" : decode(http.getRequestURI().getRawPath());
        this.query = parseQuery(http.getRequestURI().getRawQuery());
    }

    String header(String name) {
        return http.getRequestHeaders().getFirst(name);
    }

    String query(String name) {
        return query.get(name);
    }

    byte[] body() throws IOException {
        if (body == null) {
            try (InputStream in = http.getRequestBody()) {
                body = in.readAllBytes();
            }
        }
        return body;
    }

    JsonNode json() throws IOException {
        try {
            return Json.parse(body());
        } catch (IllegalArgumentException e) {
            throw HttpError.of(400, "Error when parsing request: " + e.getMessage());
        }
    }

    void sendJson(int status, JsonNode node) throws IOException {
        send(status, "application/json; charset=utf-8", Json.bytes(node));
    }

    void sendEmpty(int status) throws IOException {
        http.sendResponseHeaders(status, -1);
        http.close();
    }

    void send(int status, String contentType, byte[] bytes) throws IOException {
        if (contentType != null) {
            http.getResponseHeaders().set("Content-Type", contentType);
        }
        http.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = http.getResponseBody()) {
                out.write(bytes);
            }
        }
        http.close();
    }

    void setHeader(String name, String value) {
        http.getResponseHeaders().set(name, value);
    }

    static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Query values are decoded exactly once, as an HTTP framework does; callers decode further layers. */
    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> result = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return result;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                result.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw HttpError.of(400, "Error when parsing request: malformed query parameter '" + key + "'");
            }
        }
        return result;
    }
}
