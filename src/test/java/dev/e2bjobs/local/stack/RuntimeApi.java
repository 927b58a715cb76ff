package dev.e2bjobs.local.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The AWS Lambda Runtime API for one function process, as AWS serves it: the function polls
 * {@code GET /2018-06-01/runtime/invocation/next} and posts {@code .../{id}/response} or
 * {@code .../{id}/error}. {@link #invoke} queues an event and waits for the answer.
 */
final class RuntimeApi implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";

    /** What the function answered: its output, or the error it reported. */
    record Outcome(boolean error, String body) {
    }

    private record Invocation(String id, String event, CompletableFuture<Outcome> outcome) {
    }

    private final String function;
    private final HttpServer http;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    private final java.util.concurrent.CountDownLatch polled = new java.util.concurrent.CountDownLatch(1);

    RuntimeApi(String function) throws IOException {
        this.function = function;
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "runtime-api-" + function);
            thread.setDaemon(true);
            return thread;
        }));
        http.createContext("/", this::handle);
        http.start();
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API for the function's process. */
    String address() {
        return "127.0.0.1:" + http.getAddress().getPort();
    }

    /** Waits until the function has asked for its first event, i.e. it has started. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        return polled.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    Outcome invoke(String event, Duration timeout) throws Exception {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event, new CompletableFuture<>());
        pending.add(invocation);
        try {
            return invocation.outcome().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } finally {
            pending.remove(invocation);
            inFlight.remove(invocation.id());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if (exchange.getRequestMethod().equals("GET") && path.equals(PREFIX + "invocation/next")) {
                polled.countDown();
                Invocation next = pending.take();
                inFlight.put(next.id(), next);
                exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", next.id());
                exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + 900_000));
                exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:000000000000:function:e2b-jobs-" + function);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                send(exchange, 200, next.event());
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.startsWith(PREFIX + "invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
                String id = path.substring((PREFIX + "invocation/").length(), path.lastIndexOf('/'));
                Invocation invocation = inFlight.remove(id);
                if (invocation != null) {
                    invocation.outcome().complete(new Outcome(path.endsWith("/error"), body));
                }
                send(exchange, 202, "{}");
            } else if (path.equals(PREFIX + "init/error")) {
                System.err.println("function " + function + " failed to start: " + body);
                send(exchange, 202, "{}");
            } else {
                send(exchange, 404, "{}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
