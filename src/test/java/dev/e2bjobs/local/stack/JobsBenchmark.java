package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.local.e2b.LocalE2bSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code scripts/bench-jobs [jobs] [workers]}: whole jobs through the local stack — HTTP submit (timed
 * on its own: it answers before any E2B work), launch, sandbox, run, long-poll until the job has
 * ended — and the memory each function's largest instance holds afterwards.
 */
public final class JobsBenchmark {
    private static final String JOB = "{\"files\":{\"main.py\":\"print(sum(range(1000)))\"},\"command\":\"python main.py\"}";

    private JobsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        try (LocalStack stack = new LocalStack()) {
            long booting = System.nanoTime();
            stack.start(new StackOptions(0, 0, 60, Map.of(), Map.of(), LocalE2bSettings.defaults().withMaxSandboxes(Math.max(20, workers)), 1));
            System.out.printf("stack start: %.1f s%n", (System.nanoTime() - booting) / 1e9);
            String url = "http://127.0.0.1:" + stack.port() + "/jobs";
            String authorization = stack.tokens().bearer("bench");
            run(url, authorization, 8 * workers, workers, "warm-up"); // as many clients as later: the functions scale out, and their instances warm up, before anything is measured
            stack.awaitSettled(Duration.ofMinutes(2)); // and their cold starts are over
            run(url, authorization, jobs, 1, "sequential");
            run(url, authorization, jobs, workers, workers + " workers");
            Map<String, Integer> instances = stack.instanceCounts();
            stack.functionMemoryMib().forEach((function, mib) -> System.out.printf("%-7s RSS %d MiB (the largest of %d instances)%n",
                    function, mib, instances.get(function)));
        }
    }

    private static void run(String url, String authorization, int jobs, int workers, String label) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<long[]>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            results.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(JOB)).build(),
                        HttpResponse.BodyHandlers.ofString());
                long submitted = System.nanoTime() - t0;
                String job = url + "/" + json.readTree(accepted.body()).path("jobId").asText() + "?wait=20";
                String body = accepted.body();
                while (!List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED").contains(json.readTree(body).path("status").asText())) {
                    body = http.send(HttpRequest.newBuilder(URI.create(job)).header("Authorization", authorization).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                }
                if (!json.readTree(body).path("status").asText().equals("SUCCEEDED")) {
                    throw new IllegalStateException("job ended: " + body);
                }
                return new long[] {submitted, System.nanoTime() - t0};
            }));
        }
        List<Long> submits = new ArrayList<>();
        List<Long> wholeJobs = new ArrayList<>();
        for (Future<long[]> result : results) {
            submits.add(result.get()[0]);
            wholeJobs.add(result.get()[1]);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf("%-12s %3d jobs: submit→202 %s; submit→SUCCEEDED %s; %.1f jobs/s%n", label, jobs, percentiles(submits),
                percentiles(wholeJobs), jobs / seconds);
    }

    private static String percentiles(List<Long> nanos) {
        Collections.sort(nanos);
        return String.format("p50 %4.0f ms p95 %4.0f ms max %4.0f ms", nanos.get(nanos.size() / 2) / 1e6,
                nanos.get((int) Math.ceil(nanos.size() * 0.95) - 1) / 1e6, nanos.get(nanos.size() - 1) / 1e6);
    }
}
