package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** What the app handed to other functions through the recording Invoke API at {@code url}. */
public record HandOffs(String url) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The last event {@code function} was invoked with. */
    public JsonNode last(String function) {
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
