package dev.e2bjobs.local.stack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One round of the benchmark on one path: its wall time, each job's time, each submit's time (the API path
 * only) and the E2B requests the local server counted during it.
 */
record BenchRound(double wallMs, List<Double> jobMs, List<Double> submitMs, long e2bRequests) {

    BenchRound withE2bRequests(long requests) {
        return new BenchRound(wallMs, jobMs, submitMs, requests);
    }

    /** The value below which {@code fraction} of {@code values} lie (nearest rank). */
    static double percentile(List<Double> values, double fraction) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * fraction) - 1));
    }

    /** Rounds of one path, summed: wall times added, job and submit times pooled. */
    static BenchRound total(List<BenchRound> rounds) {
        List<Double> jobs = new ArrayList<>();
        List<Double> submits = new ArrayList<>();
        rounds.forEach(round -> {
            jobs.addAll(round.jobMs());
            submits.addAll(round.submitMs());
        });
        return new BenchRound(rounds.stream().mapToDouble(BenchRound::wallMs).sum(), jobs, submits,
                rounds.stream().mapToLong(BenchRound::e2bRequests).sum());
    }

    /** "12.34 s  p50 301 ms  p95 340 ms". */
    String summary() {
        return String.format("%6.2f s  p50 %4.0f ms  p95 %4.0f ms", wallMs / 1000, percentile(jobMs, 0.5), percentile(jobMs, 0.95));
    }

    double requestsPerJob() {
        return (double) e2bRequests / jobMs.size();
    }
}
