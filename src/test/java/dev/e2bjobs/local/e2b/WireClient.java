package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.e2b.ConnectEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Raw HTTP against the local E2B server, so tests see exactly what is on the wire. */
final class WireClient {
    static final String API_KEY = "e2b_0123456789abcdef";
    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;

    WireClient(LocalE2bServer server) {
        this.baseUrl = server.url();
    }

    /** A created sandbox and the token its envd wants. */
    record Sandbox(String id, String token) {
    }

    HttpResponse<String> api(String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("X-API-Key", API_KEY);
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    Sandbox create(String json) {
        HttpResponse<String> response = api("POST", "/v2/sandboxes", json);
        if (response.statusCode() != 201) {
            throw new IllegalStateException("create failed: " + response.statusCode() + " " + response.body());
        }
        JsonNode body = json(response.body());
        return new Sandbox(body.path("sandboxID").asText(), body.path("envdAccessToken").asText());
    }

    Sandbox create() {
        return create("{\"templateID\":\"base\"}");
    }

    HttpRequest.Builder envd(Sandbox sandbox, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .header("E2b-Sandbox-Id", sandbox.id())
                .header("E2b-Sandbox-Port", "49983")
                .header("X-Access-Token", sandbox.token());
    }

    /** Writes a file through envd's file API (a single-file octet-stream upload). */
    void upload(Sandbox sandbox, String path, byte[] content) {
        HttpResponse<String> response = send(envd(sandbox, files(path)).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("upload of " + path + " failed: " + response.statusCode() + " " + response.body());
        }
    }

    /** A file's content as text through envd's file API (an error's JSON body if there is none). */
    String download(Sandbox sandbox, String path) {
        return send(envd(sandbox, files(path)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String files(String path) {
        return "/files?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }

    /** A Connect unary call: JSON in, JSON (or an error JSON with a string code) out. */
    HttpResponse<String> unary(Sandbox sandbox, String procedure, String json) {
        return send(envd(sandbox, "/" + procedure)
                .header("Content-Type", "application/json")
                .header("Connect-Protocol-Version", "1")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a Connect server stream; the caller reads envelopes from the body as they come. */
    HttpResponse<InputStream> openStream(Sandbox sandbox, String procedure, String json, String... headers) {
        HttpRequest.Builder request = envd(sandbox, "/" + procedure)
                .header("Content-Type", "application/connect+json")
                .header("Connect-Protocol-Version", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ConnectEnvelope.message(json).encode()));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** A whole Connect server stream, every envelope up to the end of the body. */
    List<ConnectEnvelope> stream(Sandbox sandbox, String procedure, String json, String... headers) {
        HttpResponse<InputStream> response = openStream(sandbox, procedure, json, headers);
        List<ConnectEnvelope> envelopes = new ArrayList<>();
        try (InputStream in = response.body()) {
            ConnectEnvelope envelope;
            while ((envelope = ConnectEnvelope.read(in)) != null) {
                envelopes.add(envelope);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return envelopes;
    }

    /** Runs a command to completion through process.Process/Start; returns all envelopes. */
    List<ConnectEnvelope> run(Sandbox sandbox, String command, String... headers) {
        return stream(sandbox, "process.Process/Start", startRequest(command).toString(), headers);
    }

    static ObjectNode startRequest(String command) {
        ObjectNode request = Json.object();
        ObjectNode process = request.putObject("process").put("cmd", "/bin/bash");
        process.putArray("args").add("-l").add("-c").add(command);
        request.put("stdin", false);
        return request;
    }

    /** Starts a command and leaves its stream at once (the command goes on); returns its pid. */
    int startInBackground(Sandbox sandbox, String command) {
        try (InputStream in = openStream(sandbox, "process.Process/Start", startRequest(command).toString()).body()) {
            return startedPid(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a Start or Connect stream's first message, the start event, and returns its pid. */
    static int startedPid(InputStream stream) throws IOException {
        return json(ConnectEnvelope.read(stream).text()).path("event").path("start").path("pid").asInt();
    }

    /** Concatenated stdout (or stderr) of a finished stream's data events. */
    static String output(List<ConnectEnvelope> envelopes, String stream) {
        StringBuilder out = new StringBuilder();
        for (ConnectEnvelope envelope : envelopes) {
            JsonNode data = json(envelope.text()).path("event").path("data");
            if (data.has(stream)) {
                out.append(new String(java.util.Base64.getDecoder().decode(data.path(stream).asText()), StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    /** The end event of a finished stream (missing node when there is none). */
    static JsonNode end(List<ConnectEnvelope> envelopes) {
        return envelopes.stream().map(e -> json(e.text()).path("event").path("end"))
                .filter(node -> !node.isMissingNode()).findFirst().orElse(json("{}").path("end"));
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
