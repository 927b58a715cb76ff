package dev.e2bjobs.local.stack;

import dev.e2bjobs.dynamodb.EndedJobsSeed;
import dev.e2bjobs.local.dynamodb.CountingDynamoDbProxy;
import dev.e2bjobs.local.dynamodb.SharedDynamoDbLocal;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.e2b.LocalE2bSettings;
import dev.e2bjobs.local.e2b.OfficialSdk;
import dev.e2bjobs.local.e2b.RouteFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code scripts/bench [jobs=60]}: e2b-jobs on the local stack against the official E2B JS SDK on the same
 * local E2B server, printed as one table (how to read it: the README's Benchmarks). Every DynamoDB request
 * of the functions passes a counting forwarder ({@link CountingDynamoDbProxy}), which P3 reads.
 */
public final class ServiceBenchmark {
    /** The trivial job both paths run: write results/out.json. */
    static final String CODE = "import json, os\nos.makedirs('results', exist_ok=True)\n"
            + "json.dump({'sum': sum(range(1000))}, open('results/out.json', 'w'))\n";
    private static final int ROUNDS = 2;
    private static final int WARM_UP_JOBS_PER_INSTANCE = 6;
    private static final int CLIENTS = 8;
    private static final long ROUND_TRIP_MS = 50;
    private static final int HISTORY = 10_000;
    private static final int ACTIVE = 20;

    private final LocalStack stack;
    private final ApiJobs api;
    private final SdkJobs sdk;
    private final LocalE2bAdmin e2b;

    private ServiceBenchmark(LocalStack stack) {
        this.stack = stack;
        this.api = new ApiJobs(stack);
        this.sdk = new SdkJobs(stack);
        this.e2b = new LocalE2bAdmin(stack.e2bUrl());
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        OfficialSdk.install();
        List<String> table = new ArrayList<>();
        try (LocalStack stack = new LocalStack(); CountingDynamoDbProxy dynamoDb = new CountingDynamoDbProxy(stack::dynamoDbUrl)) {
            stack.start(new StackOptions(0, 0, 3600, Map.of(), Map.of("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynamoDb.url()),
                    LocalE2bSettings.defaults().withMaxSandboxes(2 * CLIENTS + ACTIVE), 1));
            new ServiceBenchmark(stack).measure(jobs, dynamoDb, table);
        }
        System.out.println();
        table.forEach(System.out::println);
    }

    private void measure(int jobs, CountingDynamoDbProxy dynamoDb, List<String> table) throws Exception {
        progress("warming up");
        compare(CLIENTS, 1, 1);
        compare(2 * CLIENTS, CLIENTS, 1); // the functions scale out to 8 instances each
        stack.awaitSettled(Duration.ofMinutes(3));
        compare(WARM_UP_JOBS_PER_INSTANCE * CLIENTS, CLIENTS, 1); // and each instance has served a few jobs (JIT)
        int coldPolls = api.gatewayTimeouts();
        dynamoDb.arm();
        BenchRound[] alone = compare(jobs, 1, ROUNDS);
        dynamoDb.disarm();
        table.add(p1("P1", 1, alone));
        table.add(String.format("        DynamoDB requests per e2b-jobs job: %s", perJob(dynamoDb.operations(), dynamoDb.meanMillis(), jobs * ROUNDS)));
        table.add(p1("P1", CLIENTS, compare(jobs, CLIENTS, ROUNDS)));
        table.add(p1("P1-rtt", CLIENTS, withRoundTrip(() -> compare(jobs, CLIENTS, ROUNDS))));
        table.add(String.format("P2      submit → 202 (1 client)  p50 %.1f ms  p99 %.1f ms  (%d submits)", BenchRound.percentile(alone[0].submitMs(), 0.5),
                BenchRound.percentile(alone[0].submitMs(), 0.99), alone[0].submitMs().size()));
        table.add(sweep(dynamoDb));
        table.add(coldStart());
        table.add("P4      peak RSS per function instance (MiB): " + stack.functionMemoryMib());
        table.add(String.format("        polls cut off by the gateway's 29 s limit: %d while warming up, %d measured", coldPolls,
                api.gatewayTimeouts() - coldPolls));
    }

    /** Rounds of {@code jobs} jobs on each path, alternating, e2b-jobs first; totals of each path. */
    private BenchRound[] compare(int jobs, int clients, int rounds) throws Exception {
        List<BenchRound> viaApi = new ArrayList<>();
        List<BenchRound> viaSdk = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            progress(String.format("%d jobs, %d client(s): e2b-jobs, then the SDK", jobs, clients));
            long before = e2bRequests();
            viaApi.add(api.run(jobs, clients, CODE).withE2bRequests(e2bRequests() - before));
            before = e2bRequests();
            viaSdk.add(sdk.run(jobs, clients, CODE).withE2bRequests(e2bRequests() - before));
        }
        return new BenchRound[] {BenchRound.total(viaApi), BenchRound.total(viaSdk)};
    }

    private static String p1(String label, int clients, BenchRound[] paths) {
        return String.format("%-7s clients=%d  e2b-jobs %s | SDK %s | ratio %.2f | E2B requests/job %.1f vs %.1f", label, clients,
                paths[0].summary(), paths[1].summary(), paths[0].wallMs() / paths[1].wallMs(), paths[0].requestsPerJob(),
                paths[1].requestsPerJob());
    }

    /** "GetItem 4.0 (3 ms)  ...": requests per job, and DynamoDB Local's mean time for each. */
    private static String perJob(Map<String, Integer> counts, Map<String, Double> meanMillis, int jobs) {
        StringBuilder line = new StringBuilder();
        counts.forEach((operation, count) -> line.append(String.format("%s %.1f (%.0f ms)  ", operation, (double) count / jobs,
                meanMillis.get(operation))));
        return line.toString().strip();
    }

    /** What the cloud adds: {@value #ROUND_TRIP_MS} ms on every request to the local E2B server while {@code measured} runs. */
    private BenchRound[] withRoundTrip(Measured measured) throws Exception {
        for (RouteFamily family : RouteFamily.values()) {
            e2b.fail(family, 0, List.of(), ROUND_TRIP_MS);
        }
        try {
            return measured.get();
        } finally {
            e2b.clear();
        }
    }

    private long e2bRequests() {
        long requests = 0;
        for (RouteFamily family : RouteFamily.values()) {
            requests += e2b.requests(family);
        }
        return requests;
    }

    /** One sweep over a long history and a few running jobs: the items it read, on the wire, and its time. */
    private String sweep(CountingDynamoDbProxy dynamoDb) throws Exception {
        progress("P3: " + HISTORY + " ended jobs into the table, " + ACTIVE + " running");
        String table = stack.functionEnvironment("sweep").getOrDefault("JOBS_TABLE", "e2b-jobs");
        EndedJobsSeed.write(SharedDynamoDbLocal.clientFor(stack.dynamoDbUrl()), table, "jwt:bench-history", HISTORY);
        List<String> running = api.running(ACTIVE);
        String event = Files.readString(Path.of("infra/events/eventbridge-scheduled-sweep.json"));
        stack.invoke("sweep", event, Duration.ofMinutes(2)); // the schedule keeps a sweep instance warm: the measured sweep is not its first
        dynamoDb.arm();
        long started = System.nanoTime();
        Invocable.Outcome report = stack.invoke("sweep", event, Duration.ofMinutes(2));
        double ms = (System.nanoTime() - started) / 1e6;
        dynamoDb.disarm();
        api.cancel(running);
        if (report.error()) {
            throw new IllegalStateException("the sweep failed: " + report.body());
        }
        return String.format("P3      one sweep over %d ended + %d running jobs: %d items read %s, %.0f ms", HISTORY, ACTIVE,
                dynamoDb.itemsRead(), dynamoDb.operations(), ms);
    }

    /** A new status instance (JVM) from process start to its answer to GET /jobs/{unknown id}. */
    private String coldStart() throws Exception {
        progress("P4: a cold start");
        String event = Files.readString(Path.of("infra/events/http-api-get-job.json"));
        Duration took = stack.coldStart("status", event);
        return String.format("P4      status, JVM: process start → first served invocation %.2f s", took.toMillis() / 1000.0);
    }

    private static void progress(String what) {
        System.err.println("bench: " + what);
    }

    @FunctionalInterface
    private interface Measured {
        BenchRound[] get() throws Exception;
    }
}
