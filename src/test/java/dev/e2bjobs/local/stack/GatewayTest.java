package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API Gateway's own answers in the local gateway: its authorizer, its limits and Lambda's, on functions that are stand-ins. */
class GatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalJwt tokens;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<Invocable> function = new AtomicReference<>();
    private final AtomicReference<Duration> timeoutAsked = new AtomicReference<>();
    private Gateway gateway;

    @BeforeAll
    static void keys() throws Exception {
        tokens = LocalJwt.generate();
    }

    @BeforeEach
    void start() throws Exception {
        Routes routes = new Routes(List.of("echo"), List.of(new Routes.Route("POST", "/echo", "echo")), List.of(), Map.of(), Map.of());
        gateway = new Gateway(0, routes, name -> (event, timeout) -> {
            timeoutAsked.set(timeout);
            return function.get().invoke(event, timeout);
        }, tokens);
    }

    private HttpResponse<String> post(byte[] body) throws Exception {
        return post(body, tokens.bearer("alice"));
    }

    /** With this Authorization header, or none for null. */
    private HttpResponse<String> post(byte[] body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The function answers 200 with nothing; the event it got is kept. */
    private AtomicReference<JsonNode> recordEvents() {
        AtomicReference<JsonNode> event = new AtomicReference<>();
        function.set((json, timeout) -> {
            event.set(JSON.readTree(json));
            return new Invocable.Outcome(false, "{\"statusCode\":200,\"body\":\"\"}");
        });
        return event;
    }

    @Test
    void aRequestWithoutAValidTokenIs401AndReachesNoFunction() throws Exception {
        AtomicReference<JsonNode> event = recordEvents();
        Map<String, String> refusals = Map.of(
                "", "the request has no token in its Authorization header",
                "Bearer not-a-jwt", "the token is malformed",
                "Bearer " + tokens.token("alice", Duration.ofSeconds(-1)), "the token has expired",
                LocalJwt.generate().bearer("alice"), "the token's signature is invalid");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            HttpResponse<String> response = post(new byte[0], refusal.getKey().isEmpty() ? null : refusal.getKey());
            assertEquals(401, response.statusCode());
            assertEquals("{\"message\":\"Unauthorized\"}", response.body());
            assertEquals("Bearer scope=\"\" error=\"invalid_token\" error_description=\"" + refusal.getValue() + "\"",
                    response.headers().firstValue("www-authenticate").orElseThrow());
        }
        assertNull(event.get(), "no function ran");
    }

    @Test
    void theEventCarriesEveryClaimAsAStringAndTheScopes() throws Exception {
        AtomicReference<JsonNode> event = recordEvents();
        ObjectNode claims = JSON.createObjectNode().put("iss", LocalJwt.ISSUER).put("sub", "alice")
                .put("exp", Instant.now().getEpochSecond() + 60).put("scope", "jobs:read jobs:write");
        claims.putArray("aud").add(LocalJwt.AUDIENCE).add("other");
        assertEquals(200, post(new byte[0], "Bearer " + tokens.sign(claims)).statusCode());

        JsonNode jwt = event.get().path("requestContext").path("authorizer").path("jwt");
        assertEquals("alice", jwt.path("claims").path("sub").asText());
        assertEquals(claims.path("exp").asText(), jwt.path("claims").path("exp").textValue(), "a number, as a string");
        assertEquals("[e2b-jobs other]", jwt.path("claims").path("aud").asText());
        assertEquals(JSON.readTree("[\"jobs:read\",\"jobs:write\"]"), jwt.path("scopes"));

        // the token alone, without "Bearer ", is as good; without a scope claim, scopes is null
        assertEquals(200, post(new byte[0], tokens.token("bob", Duration.ofMinutes(5))).statusCode());
        assertEquals("bob", event.get().path("requestContext").path("authorizer").path("jwt").path("claims").path("sub").asText());
        assertTrue(event.get().path("requestContext").path("authorizer").path("jwt").path("scopes").isNull());
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
