package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The AWS Lambda Invoke API on 127.0.0.1, enough for the unmodified AWS SDK's {@code LambdaClient}
 * (endpoint override {@link #url()}): {@code POST /2015-03-31/functions/{FunctionName}/invocations},
 * synchronous ({@code X-Amz-Invocation-Type: RequestResponse}, the default) or asynchronous
 * ({@code Event}: queued, retried like Lambda), with Lambda's payload limits and error answers. The
 * SDK signs each request (SigV4); like every local stand-in, this accepts any signature.
 *
 * <p>It also records what it accepted — per function the count and the last payloads — at
 * {@code GET /_local/invocations}, over HTTP because tests and Quarkus test resources live in
 * different class loaders; {@link #recording} serves functions that do nothing else.
 */
public final class LambdaInvokeApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");
    private static final String ARN_PREFIX = "arn:aws:lambda:us-east-1:000000000000:function:";
    /** Lambda's limit on an asynchronous (Event) invocation's payload. */
    static final int MAX_EVENT_BYTES = 256 * 1024;
    /** Lambda retries a failed Event invocation twice, after about 1 and 2 minutes; here seconds, so a stack converges fast. */
    static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));
    /** Lambda's longest function timeout: as long as an invocation may run. */
    private static final Duration FUNCTION_TIMEOUT = Duration.ofMinutes(15);
    /** How many payloads per function GET /_local/invocations shows, the latest last. */
    private static final int KEPT_PAYLOADS = 10;

    /** What was invoked, per function. */
    record Recording(int count, List<String> payloads) {
    }

    private final Map<String, ? extends Invocable> functions;
    private final Map<String, Recording> recordings = new ConcurrentHashMap<>();
    private final ExecutorService eventQueue = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "invoke-api-event");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpServer http;

    /**
     * Serves {@code functions} (by function name, the one in their ARN) on {@code port} (0: a free
     * one); the map is read at each invocation, so it may be filled after this starts.
     */
    public LambdaInvokeApi(int port, Map<String, ? extends Invocable> functions) throws IOException {
        this.functions = functions;
        this.http = LocalHttp.serve(port, "invoke-api", this::handle);
    }

    /** Functions that only answer {@code null}, for tests that look at what was invoked. */
    public static LambdaInvokeApi recording(int port, String... functions) throws IOException {
        Invocable nothing = (event, timeout) -> new Invocable.Outcome(false, "null");
        return new LambdaInvokeApi(port, Arrays.stream(functions).collect(Collectors.toMap(Function.identity(), name -> nothing)));
    }

    /** The endpoint for the SDK's endpoint override, e.g. http://127.0.0.1:41234. */
    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** NAME, NAME:qualifier, ACCOUNT:function:NAME or arn:aws:lambda:REGION:ACCOUNT:function:NAME[:qualifier] → NAME. */
    static String functionName(String identifier) {
        List<String> parts = List.of(identifier.split(":"));
        int function = parts.indexOf("function");
        return function >= 0 && function + 1 < parts.size() ? parts.get(function + 1) : parts.get(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (Exception e) {
                error(exchange, 500, "ServiceException", e.toString());
            }
        }
    }

    private void route(HttpExchange exchange) throws Exception {
        String path = exchange.getRequestURI().getPath();
        Matcher invoke = INVOKE.matcher(path);
        if (exchange.getRequestMethod().equals("POST") && invoke.matches()) {
            invoke(exchange, functionName(invoke.group(1)));
        } else if (exchange.getRequestMethod().equals("GET") && path.equals("/_local/invocations")) {
            LocalHttp.sendJson(exchange, 200, JSON.writeValueAsString(recordings));
        } else {
            error(exchange, 404, "UnknownOperationException", "Unknown operation " + exchange.getRequestMethod() + " " + path);
        }
    }

    /** Refuses what Lambda refuses: an unknown function, a payload over its limit, an unknown invocation type. */
    private void invoke(HttpExchange exchange, String name) throws Exception {
        String type = Optional.ofNullable(exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type")).orElse("RequestResponse");
        int limit = type.equals("Event") ? MAX_EVENT_BYTES : RuntimeApi.MAX_PAYLOAD_BYTES;
        Optional<byte[]> payload = LocalHttp.body(exchange, limit);
        Invocable function = functions.get(name);
        if (function == null) {
            error(exchange, 404, "ResourceNotFoundException", "Function not found: " + ARN_PREFIX + name);
        } else if (payload.isEmpty()) {
            error(exchange, 413, "RequestEntityTooLargeException", type.equals("Event")
                    ? "Payload is too large for the Event invocation type (limit " + limit + " bytes)"
                    : "Request must be smaller than " + limit + " bytes for the InvokeFunction operation");
        } else if (!type.equals("Event") && !type.equals("RequestResponse")) {
            error(exchange, 400, "InvalidParameterValueException", "Unsupported invocation type " + type);
        } else {
            // no payload is an empty JSON object to the function, as in Lambda
            run(exchange, name, function, type.equals("Event"), payload.get().length == 0 ? "{}" : new String(payload.get(), StandardCharsets.UTF_8));
        }
    }

    private void run(HttpExchange exchange, String name, Invocable function, boolean event, String payload) throws Exception {
        record(name, payload);
        if (event) {
            queue(name, function, payload, 0);
            LocalHttp.send(exchange, 202, null, new byte[0]);
            return;
        }
        Invocable.Outcome outcome = function.invoke(payload, FUNCTION_TIMEOUT);
        if (outcome.error()) {
            exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
        }
        LocalHttp.sendJson(exchange, 200, outcome.body());
    }

    private void record(String name, String payload) {
        recordings.merge(name, new Recording(1, List.of(payload)), (was, one) -> new Recording(was.count() + 1,
                Stream.concat(was.payloads().stream(), Stream.of(payload)).skip(Math.max(0, was.payloads().size() + 1 - KEPT_PAYLOADS)).toList()));
    }

    /** Lambda's event queue: each attempt on a thread of its own; a failed one again after the next of RETRY_DELAYS. */
    private void queue(String name, Invocable function, String payload, int attempt) {
        Executor executor = attempt == 0 ? eventQueue
                : CompletableFuture.delayedExecutor(RETRY_DELAYS.get(attempt - 1).toMillis(), TimeUnit.MILLISECONDS, eventQueue);
        executor.execute(() -> {
            if (!settled(name, function, payload, attempt) && attempt < RETRY_DELAYS.size()) {
                queue(name, function, payload, attempt + 1);
            }
        });
    }

    /** Whether the attempt needs no retry: it succeeded, or this API is closing. */
    private static boolean settled(String name, Invocable function, String payload, int attempt) {
        try {
            Invocable.Outcome outcome = function.invoke(payload, FUNCTION_TIMEOUT);
            if (outcome.error()) {
                System.err.println("invoke-api: " + name + " failed (attempt " + (attempt + 1) + "): " + outcome.body());
            }
            return !outcome.error();
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
            return true;
        } catch (Exception e) {
            System.err.println("invoke-api: " + name + " failed (attempt " + (attempt + 1) + "): " + e);
            return false;
        }
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("X-Amzn-ErrorType", type);
        LocalHttp.sendJson(exchange, status, JSON.createObjectNode()
                .put("Type", status >= 500 ? "Service" : "User").put("message", message).toString());
    }

    @Override
    public void close() {
        http.stop(0);
        eventQueue.shutdownNow();
    }
}
