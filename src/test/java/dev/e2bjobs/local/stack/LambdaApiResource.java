package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Lambda's Invoke API for a Quarkus test run, recording what the app hands to the launch, notify and follow
 * functions (running them is the test's to do: one Quarkus app serves one exported function).
 */
public class LambdaApiResource implements QuarkusTestResourceLifecycleManager {
    private static final ObjectMapper JSON = new ObjectMapper();
    private LambdaInvokeApi api;

    @Override
    public Map<String, String> start() {
        try {
            api = LambdaInvokeApi.recording(0, "launch", "notify", "follow");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("e2bjobs.launch.endpoint", api.url(), "e2bjobs.launch.function", "launch", "e2bjobs.webhooks.function", "notify",
                "e2bjobs.follow.function", "follow");
    }

    @Override
    public void stop() {
        if (api != null) {
            api.close();
        }
    }

    /** The last event the Invoke API at {@code url} took for {@code function}. */
    public static JsonNode lastEvent(String url, String function) {
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/_local/invocations")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode payloads = JSON.readTree(answer.body()).path(function).path("payloads");
            return JSON.readTree(payloads.get(payloads.size() - 1).asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
