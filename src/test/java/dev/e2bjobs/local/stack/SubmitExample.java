package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code scripts/submit}: sends a job directory to the jobs API, prints its status transitions, then
 * its exit code, output and result files. Exits 0 only if the job SUCCEEDED. It calls as the owner
 * {@code E2B_JOBS_OWNER} (default {@value #DEFAULT_OWNER}), with a token signed by the local stack's key.
 *
 * <pre>SubmitExample &lt;job dir&gt; &lt;api url&gt;</pre>
 */
public final class SubmitExample {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<String> SKIPPED = List.of("results", "__pycache__", ".git");
    static final String DEFAULT_OWNER = "local-user";

    private SubmitExample() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String api = args[1];
        String owner = Optional.ofNullable(System.getenv("E2B_JOBS_OWNER")).orElse(DEFAULT_OWNER);
        String authorization = LocalJwt.load(LocalJwt.KEY_FILE).bearer(owner);
        JsonNode job = send(authorization, "POST", api + "/jobs", job(dir).toString(), 202);
        String jobId = job.path("jobId").asText();
        Instant started = Instant.now();
        String status = job.path("status").asText();
        System.out.printf("job %s: %s%n", jobId, status);
        while (!List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED").contains(status)) {
            // a long-poll that comes back after a second at the latest, to show the transitions as they happen
            job = send(authorization, "GET", api + "/jobs/" + jobId + "?wait=1", null, 200);
            if (!job.path("status").asText().equals(status)) {
                status = job.path("status").asText();
                System.out.printf("job %s: %s (+%.1f s)%n", jobId, status, Duration.between(started, Instant.now()).toMillis() / 1000.0);
            }
        }
        System.out.println("exit code: " + (job.has("exitCode") ? job.path("exitCode").asText() : "none"));
        if (job.has("error")) {
            System.out.println("error: " + job.path("error").path("code").asText() + " — " + job.path("error").path("message").asText());
        }
        System.out.println("--- stdout" + (job.path("stdout").path("truncated").asBoolean() ? " (last part)" : "") + "\n"
                + job.path("stdout").path("text").asText());
        if (!job.path("stderr").path("text").asText().isEmpty()) {
            System.out.println("--- stderr\n" + job.path("stderr").path("text").asText());
        }
        for (JsonNode result : job.path("results")) {
            String content = result.path("omitted").asBoolean() ? "(" + result.path("size").asLong() + " bytes, not inline)"
                    : result.path("encoding").asText().equals("utf-8") ? result.path("content").asText()
                    : "(" + result.path("size").asLong() + " bytes of binary)";
            System.out.println("--- " + result.path("path").asText() + "\n" + content);
        }
        System.exit(status.equals("SUCCEEDED") ? 0 : 1);
    }

    /** Every file of the directory (results and caches left out); binary files as base64. */
    static ObjectNode job(Path dir) throws IOException {
        ObjectNode job = jobWithoutFiles(dir);
        ObjectNode files = job.putObject("files");
        for (Path file : files(dir)) {
            String relative = dir.relativize(file).toString();
            byte[] bytes = Files.readAllBytes(file);
            try {
                files.put(relative, StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString());
            } catch (CharacterCodingException binary) {
                files.putObject(relative).put("content", Base64.getEncoder().encodeToString(bytes)).put("encoding", "base64");
            }
        }
        return job;
    }

    /** What the job is besides its files: its timeout and labels. */
    static ObjectNode jobWithoutFiles(Path dir) {
        ObjectNode job = JSON.createObjectNode();
        job.put("timeoutSeconds", 300);
        job.putObject("labels").put("example", dir.getFileName().toString());
        return job;
    }

    /** The files a job is made of: every file of the directory but results and caches, sorted. */
    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).sorted().filter(file -> {
                String relative = dir.relativize(file).toString();
                return SKIPPED.stream().noneMatch(skip -> relative.equals(skip) || relative.startsWith(skip + "/") || relative.contains("/" + skip + "/"));
            }).toList();
        }
    }

    private static JsonNode send(String authorization, String method, String url, String body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            System.err.println("submit: " + method + " " + url + " → " + response.statusCode() + " " + response.body());
            System.exit(2);
        }
        return JSON.readTree(response.body());
    }
}
