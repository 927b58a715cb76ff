package dev.e2bjobs.local.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A loopback forwarder in front of DynamoDB Local that counts, while armed, the requests per operation and
 * the items each read touched (what DynamoDB bills reads by) and how long DynamoDB Local took: ScannedCount for a Query or Scan, 1 for a
 * GetItem that found its item, each item a BatchGetItem or TransactGetItems returned. For the benchmark:
 * what a sweep reads, seen on the wire rather than taken from the code's word.
 */
public final class CountingDynamoDbProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Headers java.net.http sets itself. */
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

    static {
        // as LocalE2bServer: without TCP_NODELAY each small answer waits ~40 ms for a delayed ACK; set before the
        // JVM's first HttpServer, since the setting is read once
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(16);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Supplier<String> upstream;
    private final Map<String, Integer> operations = new TreeMap<>();
    private final Map<String, Long> nanos = new TreeMap<>();
    private boolean armed;
    private long itemsRead;

    /** {@code upstream}: DynamoDB Local's endpoint, asked for at the first request (it may not be known yet). */
    public CountingDynamoDbProxy(Supplier<String> upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::forward);
        server.setExecutor(pool);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Starts counting from zero. */
    public synchronized void arm() {
        operations.clear();
        nanos.clear();
        itemsRead = 0;
        armed = true;
    }

    /** Stops counting; what was counted stays readable. */
    public synchronized void disarm() {
        armed = false;
    }

    public synchronized long itemsRead() {
        return itemsRead;
    }

    /** Requests per operation (GetItem, Query, ...) while armed. */
    public synchronized Map<String, Integer> operations() {
        return new TreeMap<>(operations);
    }

    /** The mean time DynamoDB Local took to answer each operation while armed, in milliseconds. */
    public synchronized Map<String, Double> meanMillis() {
        Map<String, Double> means = new TreeMap<>();
        operations.forEach((operation, count) -> means.put(operation, nanos.get(operation) / 1e6 / count));
        return means;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upstream.get() + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            long started = System.nanoTime();
            HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            count(exchange.getRequestHeaders().getFirst("X-Amz-Target"), answer, System.nanoTime() - started);
            answer.headers().map().forEach((name, values) -> {
                if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void count(String target, HttpResponse<byte[]> answer, long took) throws IOException {
        if (!armed || target == null) {
            return;
        }
        String operation = target.substring(target.indexOf('.') + 1);
        operations.merge(operation, 1, Integer::sum);
        nanos.merge(operation, took, Long::sum);
        if (answer.statusCode() == 200) {
            itemsRead += items(operation, JSON.readTree(answer.body()));
        }
    }

    private static long items(String operation, JsonNode answer) {
        return switch (operation) {
            case "Query", "Scan" -> answer.path("ScannedCount").asLong();
            case "GetItem" -> answer.has("Item") ? 1 : 0;
            case "BatchGetItem" -> {
                long found = 0;
                for (JsonNode table : answer.path("Responses")) {
                    found += table.size();
                }
                yield found;
            }
            case "TransactGetItems" -> {
                long found = 0;
                for (JsonNode response : answer.path("Responses")) {
                    found += response.has("Item") ? 1 : 0;
                }
                yield found;
            }
            default -> 0;
        };
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
