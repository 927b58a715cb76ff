package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.e2bjobs.dynamodb.DynamoDbEnvironmentStore;
import dev.e2bjobs.dynamodb.EndedJobsSeed;
import dev.e2bjobs.environment.Environment;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code scripts/bench [jobs=60] [P5]}: e2b-jobs on the local stack against the official E2B JS SDK on the same
 * local E2B server, printed as one table (how to read it: the README's Benchmarks). Every DynamoDB request
 * of the functions passes a counting forwarder ({@link CountingDynamoDbProxy}), which P3 reads. With P5 named,
 * only P5 runs.
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
    /** P5's job: the wall clock as its command starts (after any install), then what its dependency says: 42. */
    private static final String COMMAND_START = "import time\nprint(time.time(), flush=True)\nimport e2bjobs_probe\nprint(e2bjobs_probe.VALUE)\n";
    private static final int DEPENDENCY_ROUNDS = 5;
    private static final int CACHED_JOBS_PER_ROUND = 3;
    /** Beside P5's first job of an environment, the builder sandbox installing it (outside the app's sandbox cap). */
    private static final int BUILDERS = 1;

    private final LocalStack stack;
    private final ApiJobs api;
    private final SdkJobs sdk;
    private final LocalE2bAdmin e2b;
    /** DynamoDB Local itself, past the counting forwarder: what the benchmark seeds and reads is not the functions'. */
    private final DynamoDbClient uncounted;
    private final DynamoDbEnvironmentStore environments;
    private final String sweepEvent;

    private ServiceBenchmark(LocalStack stack) throws Exception {
        this.stack = stack;
        this.api = new ApiJobs(stack);
        this.sdk = new SdkJobs(stack);
        this.e2b = new LocalE2bAdmin(stack.e2bUrl());
        this.uncounted = SharedDynamoDbLocal.clientFor(stack.dynamoDbUrl());
        this.environments = new DynamoDbEnvironmentStore(uncounted, jobsTable());
        this.sweepEvent = Files.readString(Path.of("infra/events/eventbridge-scheduled-sweep.json"));
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        boolean onlyP5 = onlyP5(args);
        OfficialSdk.install();
        List<String> table = new ArrayList<>();
        try (LocalStack stack = new LocalStack(); CountingDynamoDbProxy dynamoDb = new CountingDynamoDbProxy(stack::dynamoDbUrl)) {
            stack.start(new StackOptions(0, 0, 3600, Map.of(), Map.of("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", dynamoDb.url()),
                    LocalE2bSettings.defaults().withMaxSandboxes(2 * CLIENTS + ACTIVE + BUILDERS), 1));
            ServiceBenchmark benchmark = new ServiceBenchmark(stack);
            if (onlyP5) {
                table.add(benchmark.dependencyStarts());
            } else {
                benchmark.measure(jobs, dynamoDb, table);
            }
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
        table.add(dependencyStarts());
        table.add(String.format("        polls cut off by the gateway's 29 s limit: %d while warming up, %d measured", coldPolls,
                api.gatewayTimeouts() - coldPolls));
    }

    /** Whether the arguments after the job count name P5, the one line that runs alone (a quick look at the environment cache). */
    private static boolean onlyP5(String[] args) {
        if (args.length > 1 && !args[1].equals("P5")) {
            throw new IllegalArgumentException("scripts/bench [jobs=60] [P5]: only P5 runs alone; got " + args[1]);
        }
        return args.length > 1;
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
        EndedJobsSeed.write(uncounted, jobsTable(), "jwt:bench-history", HISTORY);
        List<String> running = api.running(ACTIVE);
        sweepOnce(); // the schedule keeps a sweep instance warm: the measured sweep is not its first
        dynamoDb.arm();
        long started = System.nanoTime();
        sweepOnce();
        double ms = (System.nanoTime() - started) / 1e6;
        dynamoDb.disarm();
        api.cancel(running);
        return String.format("P3      one sweep over %d ended + %d running jobs: %d items read %s, %.0f ms", HISTORY, ACTIVE,
                dynamoDb.itemsRead(), dynamoDb.operations(), ms);
    }

    /** The sweep, invoked as the schedule fires it (the stack's own schedule waits an hour, out of the measurements' way). */
    private void sweepOnce() throws Exception {
        Invocable.Outcome report = stack.invoke("sweep", sweepEvent, Duration.ofMinutes(2));
        if (report.error()) {
            throw new IllegalStateException("the sweep failed: " + report.body());
        }
    }

    private String jobsTable() {
        return stack.functionEnvironment("sweep").getOrDefault("JOBS_TABLE", "e2b-jobs");
    }

    /** A new status instance (JVM) from process start to its answer to GET /jobs/{unknown id}. */
    private String coldStart() throws Exception {
        progress("P4: a cold start");
        String event = Files.readString(Path.of("infra/events/http-api-get-job.json"));
        Duration took = stack.coldStart("status", event);
        return String.format("P4      status, JVM: process start → first served invocation %.2f s", took.toMillis() / 1000.0);
    }

    /**
     * Submit → command start of jobs with dependencies: in each round a new environment's first job (it installs
     * inline while the environment is built), then jobs started from the environment once it is READY. One
     * round before them warms the path up.
     */
    private String dependencyStarts() throws Exception {
        progress("P5: jobs with dependencies, each round a new environment");
        List<Double> firstMs = new ArrayList<>();
        List<Double> cachedMs = new ArrayList<>();
        dependencyRound(0, new ArrayList<>(), new ArrayList<>());
        for (int round = 1; round <= DEPENDENCY_ROUNDS; round++) {
            dependencyRound(round, firstMs, cachedMs);
        }
        double first = BenchRound.percentile(firstMs, 0.5);
        double cached = BenchRound.percentile(cachedMs, 0.5);
        return String.format("P5      submit → command start, dependencies  first p50 %.0f ms  cached p50 %.0f ms  ratio %.1f  (%d rounds)",
                first, cached, first / cached, DEPENDENCY_ROUNDS);
    }

    /** A requirement pip resolves to the probe as ever, but spelled anew each round: a new environment key. */
    private void dependencyRound(int round, List<Double> firstMs, List<Double> cachedMs) throws Exception {
        String requirement = "e2bjobs-probe!=0.0." + round;
        firstMs.add(msToCommandStart(requirement));
        awaitReady(requirement);
        long indexReads = e2b.indexReads();
        for (int job = 0; job < CACHED_JOBS_PER_ROUND; job++) {
            cachedMs.add(msToCommandStart(requirement));
        }
        if (e2b.indexReads() != indexReads) {
            throw new IllegalStateException("a job of the ready environment of " + requirement + " read the package index: not started from it");
        }
    }

    /** Submit → the first line the job's command printed: its wall clock (the sandbox runs on this host's clock). */
    private double msToCommandStart(String requirement) throws Exception {
        long submitted = System.currentTimeMillis();
        JsonNode job = api.runWithDependencies(COMMAND_START, List.of(requirement));
        List<String> printed = job.path("stdout").path("text").asText().lines().toList();
        if (!job.path("status").asText().equals("SUCCEEDED") || printed.size() != 2 || !printed.get(1).equals("42")) {
            throw new IllegalStateException("not the probe's output: " + job);
        }
        return Double.parseDouble(printed.get(0)) * 1000 - submitted;
    }

    /** Sweeps, as the schedule would, until the environment of {@code requirement} is READY (its builder's install snapshotted). */
    private void awaitReady(String requirement) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        for (Environment.State state = sweptState(requirement); state != Environment.State.READY; state = sweptState(requirement)) {
            if (state != Environment.State.BUILDING || System.nanoTime() > deadline) {
                throw new IllegalStateException("the environment of " + requirement + " is " + state + ", not READY");
            }
            Thread.sleep(100);
        }
    }

    /** One sweep (it finishes the builds whose builder is done), then the state of the environment of {@code requirement}. */
    private Environment.State sweptState(String requirement) throws Exception {
        sweepOnce();
        return environments.all().stream()
                .filter(environment -> environment.key().requirements().equals(List.of(requirement)))
                .map(Environment::state).findFirst().orElse(null);
    }

    private static void progress(String what) {
        System.err.println("bench: " + what);
    }

    @FunctionalInterface
    private interface Measured {
        BenchRound[] get() throws Exception;
    }
}
