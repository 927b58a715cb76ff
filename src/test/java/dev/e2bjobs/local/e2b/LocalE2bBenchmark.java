package dev.e2bjobs.local.e2b;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * scripts/bench-local-e2b: the latency of one job's worth of sandbox calls against the local server
 * (create, upload, run Python, read a result, kill), sequentially and with concurrent workers.
 * A measurement program, not a test: it prints numbers and asserts nothing.
 */
public final class LocalE2bBenchmark {
    private static final List<String> PHASES = List.of("create", "upload", "run", "read", "kill", "total");

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int workers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        try (LocalE2bServer server = LocalE2bServer.start(LocalE2bSettings.defaults().withMaxSandboxes(Math.max(20, workers)))) {
            WireClient wire = new WireClient(server);
            System.out.printf("local E2B server, sandboxes %s, %d jobs%n", server.isolated() ? "isolated (bubblewrap)" : "NOT isolated", jobs);
            job(wire);
            report("sequential", run(wire, jobs, 1));
            report(workers + " workers", run(wire, jobs, workers));
        }
    }

    private static Map<String, List<Long>> run(WireClient wire, int jobs, int workers) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<Map<String, Long>>> futures = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < jobs; i++) {
                futures.add(pool.submit(() -> job(wire)));
            }
            Map<String, List<Long>> samples = new LinkedHashMap<>();
            for (Future<Map<String, Long>> future : futures) {
                future.get().forEach((phase, micros) -> samples.computeIfAbsent(phase, p -> new ArrayList<>()).add(micros));
            }
            long wallMillis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("%n%d jobs with %d worker(s) in %d ms: %.1f jobs/s%n", jobs, workers, wallMillis, jobs * 1000.0 / wallMillis);
            return samples;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Map<String, Long> job(WireClient wire) {
        Map<String, Long> micros = new LinkedHashMap<>();
        long start = System.nanoTime();
        long mark = start;
        WireClient.Sandbox sandbox = wire.create();
        mark = lap(micros, "create", mark);
        String body = "print(sum(range(1000)))\n";
        wire.send(wire.envd(sandbox, "/files?path=" + URLEncoder.encode("/home/user/main.py", StandardCharsets.UTF_8))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
        mark = lap(micros, "upload", mark);
        String out = WireClient.output(wire.run(sandbox, "python main.py > out.txt && cat out.txt"), "stdout");
        if (!out.equals("499500\n")) {
            throw new IllegalStateException("unexpected output: " + out);
        }
        mark = lap(micros, "run", mark);
        wire.send(wire.envd(sandbox, "/files?path=out.txt").GET().build(), HttpResponse.BodyHandlers.ofString());
        mark = lap(micros, "read", mark);
        wire.api("DELETE", "/sandboxes/" + sandbox.id(), null);
        lap(micros, "kill", mark);
        micros.put("total", (System.nanoTime() - start) / 1000);
        return micros;
    }

    private static long lap(Map<String, Long> micros, String phase, long since) {
        long now = System.nanoTime();
        micros.put(phase, (now - since) / 1000);
        return now;
    }

    private static void report(String label, Map<String, List<Long>> samples) {
        System.out.printf("%-12s %10s %10s %10s   (%s, ms)%n", "phase", "p50", "p95", "max", label);
        for (String phase : PHASES) {
            List<Long> sorted = new ArrayList<>(samples.get(phase));
            Collections.sort(sorted);
            System.out.printf("%-12s %10.2f %10.2f %10.2f%n", phase, percentile(sorted, 0.50), percentile(sorted, 0.95),
                    sorted.get(sorted.size() - 1) / 1000.0);
        }
    }

    private static double percentile(List<Long> sorted, double p) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)) / 1000.0;
    }
}
