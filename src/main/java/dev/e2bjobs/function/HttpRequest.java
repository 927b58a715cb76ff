package dev.e2bjobs.function;

import java.util.Map;

/** The parts of an HTTP API request a route needs, already decoded by {@link HttpEdge}. */
public record HttpRequest(String route, String owner, Map<String, String> headers, Map<String, String> query,
        Map<String, String> pathParameters, byte[] body) {

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public String query(String name) {
        return query.get(name);
    }

    public String path(String name) {
        return pathParameters.get(name);
    }
}
