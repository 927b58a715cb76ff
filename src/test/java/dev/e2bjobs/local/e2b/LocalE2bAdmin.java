package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Drives a running local E2B server's fault injection and API key, and reads its sandbox statistics,
 * package-index reads and the create requests it got, over HTTP ({@link FaultAdmin}): usable from a Quarkus test, whose class
 * loader differs from the one its test resource started the server in.
 */
public final class LocalE2bAdmin {
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    public LocalE2bAdmin(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Delays every request of a family and fails {@code failRate} of them with one of the statuses. */
    public void fail(RouteFamily family, double failRate, List<Integer> statuses, long latencyMillis) {
        put(family, failRate, statuses, latencyMillis, false, 0);
    }

    /** The next {@code times} requests of a family take effect, but their callers get {@code status}. */
    public void loseAnswers(RouteFamily family, int status, int times) {
        put(family, 1.0, List.of(status), 0, true, times);
    }

    public void clear() {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/_local/faults")).DELETE().build());
    }

    /** Requests of a family the server has seen since it started. */
    public long requests(RouteFamily family) {
        return get("/_local/requests").path(family.name().toLowerCase(Locale.ROOT)).asLong();
    }

    /**
     * Files of the local package index opened since the server started, by pip in any sandbox (or
     * anything else): unchanged across a job means the job installed nothing from the index.
     */
    public long indexReads() {
        JsonNode index = get("/_local/requests").get("index");
        if (index == null) {
            throw new IllegalStateException("this local E2B server does not count package-index reads (it needs /usr/bin/python3)");
        }
        return index.asLong();
    }

    /** Sandboxes running (or paused) now. */
    public int running() {
        return get("/_local/stats").path("running").asInt();
    }

    /** The most sandboxes that ran at the same time since the server started or {@link #resetStats()}. */
    public int peakRunning() {
        return get("/_local/stats").path("peakRunning").asInt();
    }

    /** Sandboxes created since the server started or {@link #resetStats()}, per value of a metadata key. */
    public Map<String, Integer> createdPer(String metadataKey) {
        return countsPer("created", metadataKey);
    }

    /** Sandboxes that exist now (running or paused) whose metadata has {@code metadataKey} = {@code value}. */
    public int existing(String metadataKey, String value) {
        return countsPer("existing", metadataKey).getOrDefault(value, 0);
    }

    private Map<String, Integer> countsPer(String route, String metadataKey) {
        Map<String, Integer> counts = new TreeMap<>();
        get("/_local/" + route + "?metadataKey=" + URLEncoder.encode(metadataKey, StandardCharsets.UTF_8))
                .fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
        return counts;
    }

    /** Forgets every create so far and starts the peak again from the sandboxes running now. */
    public void resetStats() {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/_local/stats")).DELETE().build());
    }

    /** The bodies of the last 100 create requests (v1 and v2), exactly as clients sent them, newest last. */
    public List<JsonNode> createRequests() {
        List<JsonNode> bodies = new ArrayList<>();
        get("/_local/create-requests").forEach(bodies::add);
        return bodies;
    }

    /** The newest create request whose metadata has {@code metadataKey} = {@code value}, if any. */
    public Optional<JsonNode> lastCreateRequest(String metadataKey, String value) {
        List<JsonNode> bodies = createRequests();
        Collections.reverse(bodies);
        return bodies.stream().filter(body -> value.equals(body.path("metadata").path(metadataKey).textValue())).findFirst();
    }

    /** From now on the server accepts only this key (any other gets 401), as if started with --api-key. */
    public void setApiKey(String apiKey) {
        String json = Json.object().put("apiKey", apiKey).toString();
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/_local/api-key"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Creates a base sandbox through E2B's own API, as another client of the account would; its id. */
    public String createSandbox(String apiKey, Map<String, String> metadata) {
        String json = Json.object().put("templateID", "base").put("timeout", 300).set("metadata", Json.MAPPER.valueToTree(metadata)).toString();
        String body = send(HttpRequest.newBuilder(URI.create(baseUrl + "/sandboxes")).header("X-API-Key", apiKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
        try {
            return Json.MAPPER.readTree(body).path("sandboxID").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills a sandbox through E2B's own API. */
    public void killSandbox(String apiKey, String sandboxId) {
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/sandboxes/" + sandboxId)).header("X-API-Key", apiKey).DELETE().build());
    }

    private JsonNode get(String pathAndQuery) {
        String body = send(HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).GET().build());
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void put(RouteFamily family, double failRate, List<Integer> statuses, long latencyMillis,
            boolean afterHandling, int times) {
        String json = "{\"failRate\":" + failRate + ",\"failStatuses\":["
                + statuses.stream().map(String::valueOf).collect(Collectors.joining(",")) + "],\"latencyMs\":" + latencyMillis
                + ",\"afterHandling\":" + afterHandling + ",\"times\":" + times + "}";
        send(HttpRequest.newBuilder(URI.create(baseUrl + "/_local/faults/" + family.name().toLowerCase(Locale.ROOT)))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException(request.method() + " " + request.uri() + ": " + response.statusCode() + " " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
