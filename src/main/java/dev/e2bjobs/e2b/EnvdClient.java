package dev.e2bjobs.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.sandbox.FileEntry;
import dev.e2bjobs.sandbox.FileTail;
import dev.e2bjobs.sandbox.SandboxCommand;
import dev.e2bjobs.sandbox.SandboxFile;
import dev.e2bjobs.sandbox.SandboxRef;
import dev.e2bjobs.sandbox.SandboxRequestInvalidException;
import dev.e2bjobs.sandbox.SandboxUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * envd, the daemon inside every sandbox: the /files REST routes and the process.Process and
 * filesystem.Filesystem Connect RPC services (JSON codec, as the official SDKs use). A missing file,
 * directory or process is an empty answer; a sandbox that is gone is a SandboxNotFoundException.
 *
 * <p>Plain JDK HttpClient rather than a REST client interface: the base URL and headers differ per
 * sandbox, and a background start must read a stream up to its first event and then hang up.
 */
@ApplicationScoped
public class EnvdClient {
    static final int ENVD_PORT = 49983;
    private static final Pattern CONTENT_RANGE_TOTAL = Pattern.compile("/(\\d+)\\s*$");
    private static final String CONNECT_STREAM_TYPE = "application/connect+json";

    /** The state of a process as Connect reports it. */
    public record ProcessStatus(long pid, boolean exited, int exitCode, String status, byte[] stdout) {
    }

    /** A running process as List reports it. */
    public record ProcessInfo(long pid, String tag, String cmd, List<String> args) {
    }

    public enum Signal { SIGTERM, SIGKILL }

    private final AppConfig.E2b config;
    private final ObjectMapper json;
    // HTTP/1.1 on purpose: one broken HTTP/2 connection (GOAWAY) must not fail every later call, and a
    // stream we hang up on must close its own connection, not a shared one.
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    EnvdClient(AppConfig config, ObjectMapper json) {
        this.config = config.e2b();
        this.json = json;
    }

    /** POST /files: every file in one multipart request, each part named by its full path. */
    public void upload(SandboxRef sandbox, List<SandboxFile> files) {
        String boundary = "e2bjobs-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (SandboxFile file : files) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + quotedFilename(file.path()) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file.content());
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = request(sandbox, "/files")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString(), "envd upload");
        if (response.statusCode() != 200) {
            throw httpError(response, response.body(), "envd upload");
        }
    }

    /** GET /files: a file's bytes, or empty when it does not exist. */
    public Optional<byte[]> download(SandboxRef sandbox, String path) {
        HttpRequest request = request(sandbox, "/files?path=" + Percent.encode(path)).GET().build();
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray(), "envd download");
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw httpError(response, new String(response.body(), StandardCharsets.UTF_8), "envd download");
        }
        return Optional.of(response.body());
    }

    /** GET /files with a suffix Range: the last {@code maxBytes} bytes and the file's size. */
    public Optional<FileTail> downloadTail(SandboxRef sandbox, String path, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        HttpRequest request = request(sandbox, "/files?path=" + Percent.encode(path))
                .header("Range", "bytes=-" + maxBytes).GET().build();
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray(), "envd download");
        byte[] bytes = response.body();
        int status = response.statusCode();
        if (status == 404) {
            return Optional.empty();
        }
        if (status == 206) {
            return Optional.of(new FileTail(bytes, contentRangeTotal(response).orElse((long) bytes.length)));
        }
        if (status == 200) { // the server ignored the range: keep the end ourselves
            return Optional.of(new FileTail(Arrays.copyOfRange(bytes, Math.max(0, bytes.length - maxBytes), bytes.length), bytes.length));
        }
        if (status == 416 && contentRangeTotal(response).orElse(-1L) == 0) { // a suffix of an empty file
            return Optional.of(new FileTail(new byte[0], 0));
        }
        throw httpError(response, new String(bytes, StandardCharsets.UTF_8), "envd download");
    }

    /** filesystem.Filesystem/ListDir: entries under a directory to the given depth; empty if it is missing. */
    public List<FileEntry> listDir(SandboxRef sandbox, String path, int depth) {
        ObjectNode request = json.createObjectNode().put("path", path).put("depth", depth);
        List<FileEntry> entries = new ArrayList<>();
        unary(sandbox, "filesystem.Filesystem/ListDir", request)
                .ifPresent(answer -> answer.path("entries").forEach(entry -> fileEntry(entry).ifPresent(entries::add)));
        return entries;
    }

    /** filesystem.Filesystem/Stat, or empty when the path does not exist. */
    public Optional<FileEntry> stat(SandboxRef sandbox, String path) {
        return unary(sandbox, "filesystem.Filesystem/Stat", json.createObjectNode().put("path", path))
                .flatMap(answer -> fileEntry(answer.path("entry")));
    }

    /** filesystem.Filesystem/Remove: removes a file or a whole directory; a missing path is fine. */
    public void remove(SandboxRef sandbox, String path) {
        unary(sandbox, "filesystem.Filesystem/Remove", json.createObjectNode().put("path", path));
    }

    /**
     * process.Process/Start in the background: sends the request, reads up to the start event, hangs
     * up and returns the pid. envd keeps the process running after we go. No Connect-Timeout-Ms is
     * sent, because envd kills a process when that deadline passes.
     */
    public long start(SandboxRef sandbox, SandboxCommand command) {
        ObjectNode process = json.createObjectNode().put("cmd", command.cmd());
        command.args().forEach(process.putArray("args")::add);
        ObjectNode envs = process.putObject("envs");
        command.env().forEach(envs::put);
        if (command.cwd() != null) {
            process.put("cwd", command.cwd());
        }
        ObjectNode request = json.createObjectNode();
        request.set("process", process);
        if (command.tag() != null) {
            request.put("tag", command.tag());
        }
        request.put("stdin", false);
        try (InputStream events = openStream(sandbox, "process.Process/Start", request, null)) {
            JsonNode event = nextEvent(events, "envd start");
            if (event == null || !event.has("start")) {
                throw new SandboxUnavailableException("envd start: the stream ended before the process started", null);
            }
            return event.path("start").path("pid").asLong();
        } catch (IOException e) {
            throw E2bErrors.fromIo(e, "envd start");
        }
    }

    /**
     * process.Process/Connect: follows a process for at most {@code wait} and reports whether it
     * exited and how, with the first {@code maxStdoutBytes} it wrote to stdout while followed. Empty
     * when envd no longer knows the pid (it keeps exit codes for 30 s).
     */
    public Optional<ProcessStatus> connect(SandboxRef sandbox, long pid, Duration wait, int maxStdoutBytes) {
        ObjectNode request = json.createObjectNode();
        request.putObject("process").put("pid", pid);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        try (InputStream events = openStream(sandbox, "process.Process/Connect", request, wait)) {
            for (JsonNode event = nextEvent(events, "envd connect"); event != null; event = nextEvent(events, "envd connect")) {
                JsonNode end = event.path("end");
                if (!end.isMissingNode()) {
                    return Optional.of(new ProcessStatus(pid, true, end.path("exitCode").asInt(0), end.path("status").asText(), stdout.toByteArray()));
                }
                keep(event.path("data").path("stdout"), stdout, maxStdoutBytes);
            }
            return Optional.of(new ProcessStatus(pid, false, 0, "running", stdout.toByteArray()));
        } catch (EnvdNotFound e) {
            return Optional.empty();
        } catch (DeadlineReached e) {
            return Optional.of(new ProcessStatus(pid, false, 0, "running", stdout.toByteArray()));
        } catch (IOException e) {
            throw E2bErrors.fromIo(e, "envd connect");
        }
    }

    /** Adds a data event's bytes (base64 in Connect's JSON) to {@code kept}, up to {@code max} in all. */
    private static void keep(JsonNode data, ByteArrayOutputStream kept, int max) {
        if (data.isTextual() && kept.size() < max) {
            byte[] bytes = Base64.getDecoder().decode(data.asText());
            kept.write(bytes, 0, Math.min(bytes.length, max - kept.size()));
        }
    }

    /** process.Process/List: the processes running now. */
    public List<ProcessInfo> processes(SandboxRef sandbox) {
        List<ProcessInfo> result = new ArrayList<>();
        unary(sandbox, "process.Process/List", json.createObjectNode()).ifPresent(answer -> answer.path("processes").forEach(p -> {
            List<String> args = new ArrayList<>();
            p.path("config").path("args").forEach(arg -> args.add(arg.asText()));
            result.add(new ProcessInfo(p.path("pid").asLong(), p.hasNonNull("tag") ? p.path("tag").asText() : null,
                    p.path("config").path("cmd").asText(), args));
        }));
        return result;
    }

    /** process.Process/SendSignal: true if the process was there to receive it. */
    public boolean signal(SandboxRef sandbox, long pid, Signal signal) {
        ObjectNode request = json.createObjectNode().put("signal", "SIGNAL_" + signal.name());
        request.putObject("process").put("pid", pid);
        return unary(sandbox, "process.Process/SendSignal", request).isPresent();
    }

    /** Where this sandbox's envd answers, per the configured routing. */
    URI baseUri(SandboxRef sandbox) {
        return switch (config.sandboxRouting()) {
            case HEADERS -> URI.create(stripSlash(config.sandboxUrl()));
            case HOST -> URI.create("https://" + ENVD_PORT + "-" + sandbox.sandboxId() + "."
                    + (sandbox.domain() != null ? sandbox.domain() : config.domain()));
        };
    }

    private HttpRequest.Builder request(SandboxRef sandbox, String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUri(sandbox) + pathAndQuery))
                .header("E2b-Sandbox-Id", sandbox.sandboxId())
                .header("E2b-Sandbox-Port", String.valueOf(ENVD_PORT));
        if (sandbox.accessToken() != null) {
            builder.header("X-Access-Token", sandbox.accessToken());
        }
        return builder;
    }

    /** A Connect unary call; empty when envd answers not_found. */
    private Optional<JsonNode> unary(SandboxRef sandbox, String method, JsonNode body) {
        String call = "envd " + method;
        HttpRequest request = request(sandbox, "/" + method)
                .header("Content-Type", "application/json")
                .header("Connect-Protocol-Version", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body)))
                .build();
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray(), call);
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() == 200) {
            return Optional.of(parse(text, call));
        }
        if (isConnectNotFound(text)) {
            return Optional.empty();
        }
        throw E2bErrors.fromConnect(response.statusCode(), text, response.headers().firstValue("Retry-After").orElse(null), call);
    }

    /** Opens a server stream: one request envelope out, the response's envelopes to read. */
    private InputStream openStream(SandboxRef sandbox, String method, JsonNode body, Duration deadline) {
        String call = "envd " + method;
        HttpRequest.Builder builder = request(sandbox, "/" + method)
                .header("Content-Type", CONNECT_STREAM_TYPE)
                .header("Connect-Protocol-Version", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new ConnectEnvelope(0, bytes(body)).encode()));
        if (deadline != null) {
            builder.header("Connect-Timeout-Ms", String.valueOf(Math.max(1, deadline.toMillis())));
        }
        HttpResponse<InputStream> response = send(builder.build(), HttpResponse.BodyHandlers.ofInputStream(), call);
        if (response.statusCode() == 200
                && response.headers().firstValue("Content-Type").orElse("").startsWith(CONNECT_STREAM_TYPE)) {
            return response.body();
        }
        String text;
        try (InputStream in = response.body()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw E2bErrors.fromIo(e, call);
        }
        if (response.statusCode() == 200) {
            throw new SandboxUnavailableException(call + ": not a Connect stream: "
                    + response.headers().firstValue("Content-Type").orElse("no content type"), null);
        }
        throw E2bErrors.fromHttp(response.statusCode(), text, response.headers().firstValue("Retry-After").orElse(null), call);
    }

    /**
     * The next event of a process stream (keepalives skipped), or null after a clean end-stream.
     * An end-stream error becomes an exception; not_found and deadline_exceeded get their own.
     */
    private JsonNode nextEvent(InputStream events, String call) throws IOException {
        while (true) {
            ConnectEnvelope envelope = ConnectEnvelope.read(events);
            if (envelope == null) {
                throw new SandboxUnavailableException(call + ": the stream ended without an end-stream frame", null);
            }
            JsonNode message = parse(envelope.text(), call);
            if (envelope.isEndStream()) {
                JsonNode error = message.path("error");
                if (error.isMissingNode()) {
                    return null;
                }
                switch (error.path("code").asText()) {
                    case "not_found" -> throw new EnvdNotFound();
                    case "deadline_exceeded" -> throw new DeadlineReached();
                    default -> throw E2bErrors.fromConnect(200, error.toString(), null, call);
                }
            }
            JsonNode event = message.path("event");
            if (!event.has("keepalive")) {
                return event;
            }
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String call) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw E2bErrors.fromIo(e, call);
        } catch (InterruptedException e) {
            // a fault-tolerance timeout interrupts us; keep the flag for whoever waits on this thread
            Thread.currentThread().interrupt();
            throw new SandboxUnavailableException(call + ": interrupted", e);
        }
    }

    private Optional<FileEntry> fileEntry(JsonNode entry) {
        FileEntry.Type type = switch (entry.path("type").asText()) {
            case "FILE_TYPE_FILE" -> FileEntry.Type.FILE;
            case "FILE_TYPE_DIRECTORY" -> FileEntry.Type.DIRECTORY;
            case "FILE_TYPE_SYMLINK" -> FileEntry.Type.SYMLINK;
            default -> null;
        };
        return type == null ? Optional.empty()
                : Optional.of(new FileEntry(entry.path("path").asText(), entry.path("name").asText(), type, entry.path("size").asLong()));
    }

    private boolean isConnectNotFound(String body) {
        try {
            return "not_found".equals(json.readTree(body).path("code").asText());
        } catch (IOException e) {
            return false;
        }
    }

    private JsonNode parse(String text, String call) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new SandboxUnavailableException(call + ": unreadable answer: " + e.getMessage(), e);
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    private static RuntimeException httpError(HttpResponse<?> response, String body, String call) {
        return E2bErrors.fromHttp(response.statusCode(), body, response.headers().firstValue("Retry-After").orElse(null), call);
    }

    private static Optional<Long> contentRangeTotal(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Range").map(CONTENT_RANGE_TOTAL::matcher)
                .filter(Matcher::find).map(m -> Long.parseLong(m.group(1)));
    }

    /** A multipart filename as a quoted string; envd takes it verbatim as the destination path. */
    private static String quotedFilename(String path) {
        if (path.indexOf('\r') >= 0 || path.indexOf('\n') >= 0 || path.indexOf('\0') >= 0) {
            throw new SandboxRequestInvalidException("envd upload: a path may not contain line breaks or NUL: " + path.strip(), null);
        }
        return path.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** envd answered not_found on a stream: the pid is unknown. */
    private static final class EnvdNotFound extends IOException {
    }

    /** A followed stream reached the deadline we asked for. */
    private static final class DeadlineReached extends IOException {
    }
}
