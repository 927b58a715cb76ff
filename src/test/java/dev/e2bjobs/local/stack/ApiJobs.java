package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's jobs through e2b-jobs' HTTP API, as a user's code makes them: submit, long-poll
 * {@code GET /jobs/{id}?wait=20} until the job has ended, the result file from the answer.
 */
final class ApiJobs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED");

    private final HttpClient http = HttpClient.newHttpClient();
    private final String jobsUrl;
    private final String authorization;
    private final AtomicInteger gatewayTimeouts = new AtomicInteger();

    ApiJobs(LocalStack stack) {
        jobsUrl = "http://127.0.0.1:" + stack.port() + "/jobs";
        authorization = stack.tokens().bearer("bench");
    }

    /** {@code jobs} jobs running {@code code}, {@code clients} at a time. */
    BenchRound run(int jobs, int clients, String code) throws Exception {
        List<Double> jobMs = new CopyOnWriteArrayList<>();
        List<Double> submitMs = new CopyOnWriteArrayList<>();
        AtomicInteger left = new AtomicInteger(jobs);
        long started = System.nanoTime();
        everyClient(clients, () -> {
            while (left.getAndDecrement() > 0) {
                oneJob(code, jobMs, submitMs);
            }
        });
        return new BenchRound((System.nanoTime() - started) / 1e6, jobMs, submitMs, 0);
    }

    private void oneJob(String code, List<Double> jobMs, List<Double> submitMs) throws Exception {
        long started = System.nanoTime();
        JsonNode submitted = submit(body(code, 60));
        submitMs.add((System.nanoTime() - started) / 1e6);
        JsonNode job = ended(submitted);
        if (!job.path("status").asText().equals("SUCCEEDED") || !job.path("results").get(0).path("content").asText().contains("sum")) {
            throw new IllegalStateException("not the job's result: " + job);
        }
        jobMs.add((System.nanoTime() - started) / 1e6);
    }

    /** One job running {@code code} once {@code dependencies} are installed, submitted and long-polled until it has ended: its last answer. */
    JsonNode runWithDependencies(String code, List<String> dependencies) throws Exception {
        ObjectNode body = body(code, 60);
        ArrayNode requirements = body.putArray("dependencies");
        dependencies.forEach(requirements::add);
        return ended(submit(body));
    }

    private JsonNode ended(JsonNode job) throws Exception {
        while (!ENDED.contains(job.path("status").asText())) {
            job = get(job.path("jobId").asText() + "?wait=20");
        }
        return job;
    }

    /** {@code count} jobs that sleep, once each is RUNNING: the active jobs of a sweep. */
    List<String> running(int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(submit(body("import time\ntime.sleep(600)\n", 900)).path("jobId").asText());
        }
        for (String id : ids) {
            for (JsonNode job = get(id); !job.path("status").asText().equals("RUNNING"); job = get(id + "?wait=1")) {
                if (ENDED.contains(job.path("status").asText())) {
                    throw new IllegalStateException("ended before the sweep: " + job);
                }
            }
        }
        return ids;
    }

    void cancel(List<String> ids) throws Exception {
        for (String id : ids) {
            send(HttpRequest.newBuilder(URI.create(jobsUrl + "/" + id)).DELETE());
        }
    }

    /** A job running {@code code} as main.py. */
    private static ObjectNode body(String code, int timeoutSeconds) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("files").put("main.py", code);
        body.put("command", "python main.py").put("timeoutSeconds", timeoutSeconds);
        return body;
    }

    private JsonNode submit(ObjectNode body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(jobsUrl)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** A poll; one the gateway cut off at its 29 s limit (503, while instances cold-start) is made again, as a client would. */
    private JsonNode get(String pathAndQuery) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return send(HttpRequest.newBuilder(URI.create(jobsUrl + "/" + pathAndQuery)));
            } catch (GatewayTimeout e) {
                gatewayTimeouts.incrementAndGet();
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Polls the gateway cut off so far (should stay 0 once the functions are warm). */
    int gatewayTimeouts() {
        return gatewayTimeouts.get();
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(request.header("Authorization", authorization).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 503) {
            throw new GatewayTimeout();
        }
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException(answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    /** Runs {@code client} on {@code clients} threads at once and waits for them all; the first failure is thrown. */
    private static void everyClient(int clients, Client client) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Object>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                running.add(pool.submit(() -> {
                    client.run();
                    return null;
                }));
            }
            for (Future<Object> one : running) {
                one.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static final class GatewayTimeout extends IllegalStateException {
        GatewayTimeout() {
            super("503: the gateway's 29 s limit");
        }
    }

    @FunctionalInterface
    private interface Client {
        void run() throws Exception;
    }
}
