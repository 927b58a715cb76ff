package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The jobs API of a running local stack, as the stack ITs call it over plain HTTP: as
 * {@link #DEFAULT_OWNER}, or as another owner ({@link #as}), each with a token the stack's gateway
 * accepts; optionally showing every answer to an observer ({@link #observed}).
 */
final class StackClient {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Whom a client acts as unless told otherwise: the service knows this caller as "jwt:" + it. */
    static final String DEFAULT_OWNER = "stack-it";
    private static final List<String> ENDED = List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final String api;
    private final LocalJwt tokens;
    private final String authorization;
    private final Consumer<HttpResponse<String>> observer;

    StackClient(LocalStack stack) {
        this("http://127.0.0.1:" + stack.port(), stack.tokens(), stack.tokens().bearer(DEFAULT_OWNER), answer -> { });
    }

    private StackClient(String api, LocalJwt tokens, String authorization, Consumer<HttpResponse<String>> observer) {
        this.api = api;
        this.tokens = tokens;
        this.authorization = authorization;
        this.observer = observer;
    }

    /** The same API, called as {@code owner}. */
    StackClient as(String owner) {
        return withAuthorization(tokens.bearer(owner));
    }

    /** The same API, called with this Authorization header (none for null): for what the authorizer refuses. */
    StackClient withAuthorization(String header) {
        return new StackClient(api, tokens, header, observer);
    }

    /** The same API, and every answer (this client's and those of the clients made from it) goes to {@code observer} too. */
    StackClient observed(Consumer<HttpResponse<String>> observer) {
        return new StackClient(api, tokens, authorization, observer);
    }

    HttpResponse<String> call(String method, String path, String body) throws IOException, InterruptedException {
        return call(method, path, body, Map.of());
    }

    /** With further request headers, e.g. Idempotency-Key. */
    HttpResponse<String> call(String method, String path, String body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        observer.accept(answer);
        return answer;
    }

    /** POST /jobs: the 202's job. */
    JsonNode submit(String job) throws Exception {
        HttpResponse<String> answer = call("POST", "/jobs", job);
        assertEquals(202, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    /** POST /jobs/batch: the 202's jobs. */
    JsonNode batch(List<String> jobs) throws Exception {
        HttpResponse<String> answer = call("POST", "/jobs/batch", "[" + String.join(",", jobs) + "]");
        assertEquals(202, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    /** Long-polls GET /jobs/{id}?wait=20 until the job has ended. */
    JsonNode ended(String jobId) throws Exception {
        JsonNode job = JSON.readTree(call("GET", "/jobs/" + jobId + "?wait=20", null).body());
        while (!ENDED.contains(job.path("status").asText())) {
            job = JSON.readTree(call("GET", "/jobs/" + jobId + "?wait=20", null).body());
        }
        return job;
    }

    /** Every job's end, long-polled by {@code clients} concurrent clients. */
    List<JsonNode> allEnded(List<String> jobIds, int clients) throws Exception {
        return concurrently(jobIds, clients, this::ended);
    }

    /** The statuses of the jobs GET /jobs?label=... lists, newest first (listing never finalizes). */
    List<String> statuses(String label) throws Exception {
        List<String> statuses = new ArrayList<>();
        JSON.readTree(call("GET", "/jobs?limit=100&label=" + label, null).body()).path("jobs")
                .forEach(job -> statuses.add(job.path("status").asText()));
        return statuses;
    }

    /** The job ids of an array of jobs. */
    static List<String> ids(JsonNode jobs) {
        List<String> ids = new ArrayList<>();
        jobs.forEach(job -> ids.add(job.path("jobId").asText()));
        return ids;
    }

    /** {@code work} on each item, {@code clients} at a time; the results in the items' order. */
    static <T, R> List<R> concurrently(List<T> items, int clients, ThrowingFunction<T, R> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> work.apply(item)));
            }
            List<R> results = new ArrayList<>();
            for (Future<R> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** A function that may throw, for {@link #concurrently}. */
    interface ThrowingFunction<T, R> {
        R apply(T item) throws Exception;
    }

    /** Waits (polling) until {@code condition} holds, for at most {@code limit}. */
    static void eventually(String what, Duration limit, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.call()) {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(100);
        }
    }

    /** A Python job that writes {@code results/out.json} with its tag, labelled {@code t:<label>}. */
    static String pythonJob(String label, String tag, double seconds) {
        String code = "import json, os, time\\ntime.sleep(" + seconds + ")\\nos.makedirs('results', exist_ok=True)\\n"
                + "json.dump({'tag': '" + tag + "'}, open('results/out.json', 'w'))\\nprint('" + tag + "')";
        return "{\"files\":{\"main.py\":\"" + code + "\"},\"command\":\"python main.py\",\"labels\":{\"t\":\"" + label + "\"}}";
    }
}
