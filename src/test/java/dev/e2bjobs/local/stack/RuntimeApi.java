package dev.e2bjobs.local.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.e2bjobs.local.stack.Invocable.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The AWS Lambda Runtime API for one function, as AWS serves it: each instance of the function polls
 * {@code GET /2018-06-01/runtime/invocation/next} and posts {@code .../{id}/response} or
 * {@code .../{id}/error}; each invocation goes to exactly one instance. {@link #invoke} queues an
 * event and waits for the answer.
 */
final class RuntimeApi implements AutoCloseable {
    private static final String PREFIX = "/2018-06-01/runtime/";
    /** Lambda's limit on a synchronous invocation's payload, request and response alike: a longer response fails it. */
    static final int MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
    private static final Outcome RESPONSE_TOO_LARGE = new Outcome(true, "{\"errorType\":\"Function.ResponseSizeTooLarge\","
            + "\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (" + MAX_PAYLOAD_BYTES + " bytes).\"}");

    private record Invocation(String id, String event, CompletableFuture<Outcome> outcome) {
    }

    private final String function;
    private final IntConsumer arrivals;
    private final HttpServer http;
    private final BlockingQueue<Invocation> pending = new LinkedBlockingQueue<>();
    private final Map<String, Invocation> inFlight = new ConcurrentHashMap<>();
    /** Invocations queued or running: what decides whether the function needs another instance. */
    private final AtomicInteger inProgress = new AtomicInteger();
    /** Invocations ever queued: whether a request reached the function at all. */
    private final AtomicInteger invocations = new AtomicInteger();
    private final CountDownLatch polled = new CountDownLatch(1);
    /** Instances waiting for their next invocation right now. */
    private final java.util.concurrent.atomic.AtomicInteger idle = new java.util.concurrent.atomic.AtomicInteger();

    /** {@code arrivals} is told the invocations in progress each time one arrives, so that it can scale out. */
    RuntimeApi(String function, IntConsumer arrivals) throws IOException {
        this.function = function;
        this.arrivals = arrivals;
        this.http = LocalHttp.serve(0, "runtime-api-" + function, this::handle);
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API for the function's instances. */
    String address() {
        return "127.0.0.1:" + http.getAddress().getPort();
    }

    /** Waits until an instance has asked for its first event, i.e. it has started. */
    boolean awaitReady(Duration timeout) throws InterruptedException {
        return polled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    Outcome invoke(String event, Duration timeout) throws Exception {
        Invocation invocation = new Invocation(UUID.randomUUID().toString(), event, new CompletableFuture<>());
        invocations.incrementAndGet();
        int concurrency = inProgress.incrementAndGet();
        pending.add(invocation);
        try {
            arrivals.accept(concurrency);
            return invocation.outcome().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            // one that reached an instance keeps it busy until it answers, even if nobody waits any more
            if (pending.remove(invocation)) {
                inProgress.decrementAndGet();
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if (exchange.getRequestMethod().equals("GET") && path.equals(PREFIX + "invocation/next")) {
                next(exchange);
            } else if (path.startsWith(PREFIX + "invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
                String id = path.substring((PREFIX + "invocation/").length(), path.lastIndexOf('/'));
                answered(id, path.endsWith("/error"), LocalHttp.body(exchange, MAX_PAYLOAD_BYTES));
                LocalHttp.sendJson(exchange, 202, "{}");
            } else if (path.equals(PREFIX + "init/error")) {
                System.err.println("function " + function + " failed to start: "
                        + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                LocalHttp.sendJson(exchange, 202, "{}");
            } else {
                LocalHttp.sendJson(exchange, 404, "{}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    int invocations() {
        return invocations.get();
    }

    int idleInstances() {
        return idle.get();
    }

    /** Hands the next invocation to the instance asking, once there is one. */
    private void next(HttpExchange exchange) throws IOException, InterruptedException {
        polled.countDown();
        idle.incrementAndGet();
        Invocation next;
        try {
            next = pending.take();
        } finally {
            idle.decrementAndGet();
        }
        inFlight.put(next.id(), next);
        exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", next.id());
        exchange.getResponseHeaders().set("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + 900_000));
        exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn",
                "arn:aws:lambda:us-east-1:000000000000:function:e2b-jobs-" + function);
        LocalHttp.sendJson(exchange, 200, next.event());
    }

    /**
     * The instance's answer; a response over Lambda's limit fails the invocation as Lambda fails it
     * (the instance itself still gets 202, so it keeps serving).
     */
    private void answered(String id, boolean error, Optional<byte[]> body) {
        Invocation invocation = inFlight.remove(id);
        if (invocation != null) {
            inProgress.decrementAndGet();
            invocation.outcome().complete(body.map(bytes -> new Outcome(error, new String(bytes, StandardCharsets.UTF_8)))
                    .orElse(RESPONSE_TOO_LARGE));
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
