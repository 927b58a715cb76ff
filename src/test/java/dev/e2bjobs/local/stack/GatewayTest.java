package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API Gateway's own answers in the local gateway: its limits and Lambda's, on functions that are stand-ins. */
class GatewayTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<Invocable> function = new AtomicReference<>();
    private final AtomicReference<Duration> timeoutAsked = new AtomicReference<>();
    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        Routes routes = new Routes(List.of("echo"), List.of(new Routes.Route("POST", "/echo", "echo")), List.of(), Map.of());
        gateway = new Gateway(0, routes, name -> (event, timeout) -> {
            timeoutAsked.set(timeout);
            return function.get().invoke(event, timeout);
        });
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void aFunctionThatDoesNotAnswerWithin29SecondsLeavesItsCallerWith503() throws Exception {
        function.set((event, timeout) -> {
            throw new TimeoutException("no answer in " + timeout);
        });
        HttpResponse<String> response = post(new byte[0]);
        assertEquals(503, response.statusCode());
        assertEquals("{\"message\":\"Service Unavailable\"}", response.body());
        assertEquals(Duration.ofSeconds(29), timeoutAsked.get());
    }

    @Test
    void aRequestBodyOver10MbIsRefusedBeforeAnyFunctionRuns() throws Exception {
        function.set((event, timeout) -> new Invocable.Outcome(false, "{\"statusCode\":200,\"body\":\"ok\"}"));
        assertEquals(200, post("x".repeat(Gateway.MAX_REQUEST_BYTES).getBytes(StandardCharsets.UTF_8)).statusCode());
        timeoutAsked.set(null);

        HttpResponse<String> response = post("x".repeat(Gateway.MAX_REQUEST_BYTES + 1).getBytes(StandardCharsets.UTF_8));
        assertEquals(413, response.statusCode());
        assertEquals("{\"message\":\"Request Entity Too Large\"}", response.body());
        assertEquals(null, timeoutAsked.get(), "the function never saw it");
    }

    @Test
    void aFunctionErrorOrAnAnswerThatIsNoResponseIs500() throws Exception {
        for (Invocable.Outcome outcome : List.of(new Invocable.Outcome(true, "{\"errorMessage\":\"boom\"}"), new Invocable.Outcome(false, "[}"))) {
            function.set((event, timeout) -> outcome);
            HttpResponse<String> response = post(new byte[0]);
            assertEquals(500, response.statusCode());
            assertEquals("{\"message\":\"Internal Server Error\"}", response.body());
        }
    }

    @Test
    void aFunctionResponseOver6MbIs500() throws Exception {
        try (RuntimeApi runtime = new RuntimeApi("echo", concurrency -> { })) {
            function.set(runtime::invoke);
            CompletableFuture<HttpResponse<String>> fits = CompletableFuture.supplyAsync(this::postNothing);
            answer(runtime, responseOfSize(RuntimeApi.MAX_PAYLOAD_BYTES));
            assertEquals(200, fits.get().statusCode());

            CompletableFuture<HttpResponse<String>> tooLarge = CompletableFuture.supplyAsync(this::postNothing);
            answer(runtime, responseOfSize(RuntimeApi.MAX_PAYLOAD_BYTES + 1));
            assertEquals(500, tooLarge.get().statusCode());
            assertEquals("{\"message\":\"Internal Server Error\"}", tooLarge.get().body());
        }
    }

    /** A payload-2.0 response of exactly {@code size} bytes. */
    private static String responseOfSize(int size) {
        String empty = "{\"statusCode\":200,\"body\":\"\"}";
        return empty.replace("\"\"}", "\"" + "x".repeat(size - empty.length()) + "\"}");
    }

    private HttpResponse<String> postNothing() {
        try {
            return post(new byte[0]);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What an instance of the function does: takes the next invocation and posts its response. */
    private void answer(RuntimeApi runtime, String response) throws Exception {
        String base = "http://" + runtime.address() + "/2018-06-01/runtime/invocation/";
        HttpResponse<String> next = http.send(HttpRequest.newBuilder(URI.create(base + "next")).build(), HttpResponse.BodyHandlers.ofString());
        String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
        http.send(HttpRequest.newBuilder(URI.create(base + id + "/response"))
                .POST(HttpRequest.BodyPublishers.ofString(response, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
