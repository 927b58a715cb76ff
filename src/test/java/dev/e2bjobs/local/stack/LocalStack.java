package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.local.LocalProcesses;
import dev.e2bjobs.local.dynamodb.DynamoDbLocalMain;
import dev.e2bjobs.local.e2b.LocalE2bServer;
import dev.e2bjobs.local.e2b.LocalE2bSettings;
import dev.e2bjobs.local.s3.S3Emulator;
import dev.e2bjobs.local.s3.S3Notifications;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The whole service on one machine, run the way AWS runs it: DynamoDB Local and an S3 emulator
 * (child processes), the local E2B server, each exported function as processes started from the
 * packaged artifact and fed through the function's own Lambda Runtime API (one process to begin
 * with, more as concurrent invocations need them), a gateway serving template.yaml's HTTP API routes
 * on 127.0.0.1 behind a JWT authorizer ({@link LocalJwt}), the Lambda Invoke API and Secrets Manager
 * (holding the E2B API key and the webhook signing secret) on ports of their own, and the sweep fired
 * on a schedule, and S3 event notifications of the objects created in the app's bucket
 * ({@value #ARTIFACTS_BUCKET}) to each function with S3 events in the template ({@link S3Notifications}:
 * ingest's bundles under jobs/). What each function instance prints goes to our output and, as
 * CloudWatch keeps it, to a log file of its own ({@link #functionLogs()}).
 *
 * <p>The ready line says where S3 is, e.g. {@code S3 http://127.0.0.1:9000 (bucket e2b-jobs-artifacts,
 * access key local, secret key local; upload bundles to jobs/)}.
 *
 * <pre>LocalStack [--port 8080] [--s3-port 9000] [--s3-deliveries 1] [--sweep-seconds 10] [--max-instances submit=4,status=2 ...] [local-e2b flags ...]</pre>
 */
public final class LocalStack implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The Handler every function in template.yaml names. */
    private static final String HANDLER = "dev.e2bjobs.lambda.RequestIdStreamHandler::handleRequest";
    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";
    /** Lambda scales a function out until the account's limit; 8 instances let 8 clients proceed in parallel here. */
    private static final int DEFAULT_MAX_INSTANCES = 8;
    /** The local E2B server accepts only this key, unless its --api-key names another. */
    static final String DEFAULT_E2B_API_KEY = "e2b_0123456789abcdef";
    /** The Secrets Manager secret holding the E2B API key, as on AWS. */
    static final String E2B_API_KEY_SECRET = "e2b-jobs/e2b-api-key";
    /** The Secrets Manager secret the notify function signs callbacks with (the template generates it; here: random). */
    static final String WEBHOOK_SECRET = "e2b-jobs/webhook-secret";
    /** The bucket the functions use here (application.properties' default; the app creates it at start). */
    static final String ARTIFACTS_BUCKET = "e2b-jobs-artifacts";
    /** How long an S3 notification's invoke may take: Lambda's longest function timeout. */
    private static final Duration S3_INVOKE_TIMEOUT = Duration.ofMinutes(15);

    /** Every child process, function instances included (they start while requests are served). */
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    /** By QUARKUS_FUNQY_EXPORT, the name the Invoke API knows them by; concurrent: that API reads it while it fills. */
    private final Map<String, FunctionInstances> functions = new ConcurrentSkipListMap<>();
    /** By function: the environment its instances were started with (all get the same). */
    private final Map<String, Map<String, String>> environments = new ConcurrentSkipListMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "local-sweep");
        thread.setDaemon(true);
        return thread;
    });
    private LocalE2bServer e2b;
    private S3Emulator s3;
    /** One per function with S3 events. */
    private final List<S3Notifications> s3Notifications = new CopyOnWriteArrayList<>();
    /** The key prefixes S3 notifies functions of, for the ready line. */
    private final java.util.Set<String> s3Prefixes = new java.util.TreeSet<>();
    private Gateway gateway;
    private LambdaInvokeApi invokeApi;
    private LocalSecretsManager secrets;
    private LocalJwt tokens;
    private String e2bApiKey;
    private int dynamoPort;
    private Path workDir;
    /** One directory per function (a log group), one file per instance (a log stream). */
    private Path logDir;
    /** How another instance of a function starts, for {@link #coldStart}: given its Runtime API and function. */
    private java.util.function.BiFunction<String, String, Process> instanceStarter;

    public static void main(String[] args) throws Exception {
        int port = 8080;
        int s3Port = 9000; // a stable endpoint for S3 clients
        int s3Deliveries = 1;
        int sweepSeconds = 10;
        Map<String, Integer> maxInstances = new LinkedHashMap<>();
        List<String> e2bFlags = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--s3-port" -> s3Port = Integer.parseInt(args[++i]);
                case "--s3-deliveries" -> s3Deliveries = Integer.parseInt(args[++i]);
                case "--sweep-seconds" -> sweepSeconds = Integer.parseInt(args[++i]);
                case "--max-instances" -> maxInstances.putAll(maxInstances(args[++i]));
                default -> e2bFlags.add(args[i]);
            }
        }
        LocalStack stack = new LocalStack();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            stopped.countDown();
        }, "local-stack-shutdown"));
        try {
            stack.start(new StackOptions(port, s3Port, sweepSeconds, maxInstances, Map.of(),
                    LocalE2bSettings.parse(e2bFlags.toArray(String[]::new)), s3Deliveries));
        } catch (Exception e) {
            System.err.println("run-local: " + e.getMessage());
            System.exit(1);
        }
        System.out.println("e2b-jobs local stack ready: http://127.0.0.1:" + stack.gateway.port() + " (functions "
                + String.join(", ", stack.functions.keySet()) + "; Lambda Invoke API " + stack.invokeApi.url() + "; Secrets Manager "
                + stack.secretsUrl() + "; " + stack.s3Description() + "; tokens: scripts/token OWNER; function logs " + stack.logDir + "; sweep every " + sweepSeconds
                + " s; sandboxes " + (stack.e2b.isolated() ? "isolated with bubblewrap" : "NOT isolated: apt-get install -y bubblewrap") + ")");
        System.out.flush();
        stopped.await();
    }

    /** "submit=4,status=2" → {submit=4, status=2}. */
    static Map<String, Integer> maxInstances(String spec) {
        Map<String, Integer> max = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String[] functionAndMax = entry.split("=", 2);
            if (functionAndMax.length != 2 || !functionAndMax[1].trim().matches("[1-9][0-9]*")) {
                throw new IllegalArgumentException("--max-instances wants function=N[,function=N...], N ≥ 1; got " + spec);
            }
            max.put(functionAndMax[0].trim(), Integer.parseInt(functionAndMax[1].trim()));
        }
        return max;
    }

    /** The gateway's port, once started. */
    int port() {
        return gateway.port();
    }

    /** The Lambda Invoke API's endpoint, once started. */
    String invokeUrl() {
        return invokeApi.url();
    }

    /** Secrets Manager's endpoint (and its admin API), once started. */
    String secretsUrl() {
        return secrets.url();
    }

    /** The S3 emulator's endpoint, once started. */
    String s3Url() {
        return s3.endpoint();
    }

    /** The bucket the functions were started with, once started. */
    String artifactsBucket() {
        return environments.values().iterator().next().get("ARTIFACTS_BUCKET");
    }

    /** Where S3 is and how to reach it, for the ready line. */
    private String s3Description() {
        return "S3 " + s3Url() + " (bucket " + artifactsBucket() + ", access key " + S3Emulator.KEY + ", secret key " + S3Emulator.KEY
                + (s3Prefixes.isEmpty() ? "" : "; upload bundles to " + String.join(" or ", s3Prefixes)) + ")";
    }

    /** The key pair the gateway's authorizer trusts: tokens for any owner. */
    LocalJwt tokens() {
        return tokens;
    }

    /** DynamoDB Local's endpoint, once started. */
    String dynamoDbUrl() {
        return "http://127.0.0.1:" + dynamoPort;
    }

    /** The local E2B server's URL (its admin API too), once started. */
    String e2bUrl() {
        return e2b.url();
    }

    /** The environment {@code function}'s instances were started with, on top of what they inherit from ours. */
    Map<String, String> functionEnvironment(String function) {
        return environments.get(function);
    }

    /**
     * Everything every function instance has printed so far, as CloudWatch Logs would hold it: the log
     * files under {@code <work dir>/logs/<function>/<instance>.log}, one after the other.
     */
    String functionLogs() throws IOException {
        return logs(logDir);
    }

    /** Everything {@code function}'s instances have printed so far: its log group. */
    String functionLogs(String function) throws IOException {
        return Files.isDirectory(logDir.resolve(function)) ? logs(logDir.resolve(function)) : "";
    }

    private static String logs(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                // bytes, not readString: a line being written may end in half a character
                all.append(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
            }
        }
        return all.toString();
    }

    /** Waits until no instance of any function is starting or busy, for measurements free of cold starts. */
    void awaitSettled(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!functions.values().stream().allMatch(FunctionInstances::settled) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Instances started so far per function. */
    Map<String, Integer> instanceCounts() {
        return perFunction(FunctionInstances::instanceCount);
    }

    /** Invocations so far per function, from any caller. */
    Map<String, Integer> invocationCounts() {
        return perFunction(FunctionInstances::invocationCount);
    }

    private Map<String, Integer> perFunction(ToIntFunction<FunctionInstances> count) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        functions.forEach((name, function) -> counts.put(name, count.applyAsInt(function)));
        return counts;
    }

    /** Peak resident memory per function in MiB (Linux /proc): its largest instance's, for the benchmark. */
    Map<String, Long> functionMemoryMib() throws IOException {
        Map<String, Long> memory = new LinkedHashMap<>();
        for (Map.Entry<String, FunctionInstances> function : functions.entrySet()) {
            memory.put(function.getKey(), function.getValue().maxMemoryMib());
        }
        return memory;
    }

    /**
     * Process start to first served invocation of one more instance of {@code function}, started beside the
     * stack's own (its log stream is 0.log) and stopped after it has answered {@code event}.
     */
    Duration coldStart(String function, String event) throws Exception {
        try (RuntimeApi api = new RuntimeApi(function, arrivals -> { })) {
            long started = System.nanoTime();
            Process instance = instanceStarter.apply(api.address(), function);
            try {
                api.invoke(event, START_TIMEOUT);
                return Duration.ofNanos(System.nanoTime() - started);
            } finally {
                instance.destroy();
            }
        }
    }

    /** One invocation of {@code function}, as Lambda's Invoke API would make it. */
    Invocable.Outcome invoke(String function, String event, Duration timeout) throws Exception {
        return functions.get(function).invoke(event, timeout);
    }

    /** The key the local E2B server accepts. */
    String e2bApiKey() {
        return e2bApiKey;
    }

    /** Whether any process this stack started is still alive. */
    boolean anyProcessAlive() {
        return processes.stream().anyMatch(Process::isAlive) || (s3 != null && s3.isAlive());
    }

    void start(StackOptions options) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Path runnerJar = runnerJar(root.resolve("target"));
        Routes routes = Routes.read(root.resolve("template.yaml"));
        if (!routes.functions().containsAll(options.maxInstances().keySet())) {
            throw new IllegalArgumentException("--max-instances names a function template.yaml does not have: " + options.maxInstances().keySet());
        }
        e2bApiKey = Optional.ofNullable(options.e2b().apiKey()).orElse(DEFAULT_E2B_API_KEY);
        e2b = LocalE2bServer.start(options.e2b().withApiKey(e2bApiKey)); // first: a machine that cannot run sandboxes fails at once
        workDir = Files.createTempDirectory("e2b-jobs-local-");
        logDir = Files.createDirectory(workDir.resolve("logs"));
        Path jni = runtimeClientLibrary(workDir);
        dynamoPort = LocalProcesses.freeLoopbackPort();
        startDynamoDbLocal(dynamoPort);
        s3 = S3Emulator.start(options.s3Port());
        secrets = new LocalSecretsManager(0);
        secrets.put(E2B_API_KEY_SECRET, e2bApiKey);
        secrets.put(WEBHOOK_SECRET, randomSecret());
        invokeApi = new LambdaInvokeApi(0, functions);
        startFunctions(routes, options, runnerJar, jni);
        instanceStarter = (runtimeApi, function) -> {
            try {
                return startFunction(runnerJar, jni, function, 0, runtimeApi, options.settings());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        notifyS3Events(routes, options.s3Deliveries());
        tokens = LocalJwt.load(root.resolve(LocalJwt.KEY_FILE));
        gateway = new Gateway(options.port(), routes, functions::get, tokens);
        String sweepEvent = Files.readString(root.resolve("infra/events/eventbridge-scheduled-sweep.json"));
        for (String function : routes.scheduled()) {
            scheduler.scheduleWithFixedDelay(() -> fire(function, sweepEvent), options.sweepSeconds(), options.sweepSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Every function with its first instance, all started at once, then waited for. */
    private void startFunctions(Routes routes, StackOptions options, Path runnerJar, Path jni) throws Exception {
        for (String function : routes.functions()) {
            int max = options.maxInstances().getOrDefault(function, routes.reservedConcurrency().getOrDefault(function, DEFAULT_MAX_INSTANCES));
            functions.put(function, new FunctionInstances(function, max,
                    (runtimeApi, instance) -> startFunction(runnerJar, jni, function, instance, runtimeApi, options.settings())));
        }
        functions.values().forEach(FunctionInstances::start);
        for (Map.Entry<String, FunctionInstances> function : functions.entrySet()) {
            if (!function.getValue().awaitReady(START_TIMEOUT)) {
                throw new IllegalStateException("function " + function.getKey() + " did not start; see its log above");
            }
        }
    }

    /**
     * For each function with S3 events, the objects created in the bucket it was started with, as S3
     * notifies them: asynchronously, retried twice on a function error.
     */
    private void notifyS3Events(Routes routes, int deliveries) {
        routes.s3().forEach((function, rules) -> {
            rules.forEach(rule -> s3Prefixes.add(rule.prefix()));
            s3Notifications.add(S3Notifications.start(java.net.URI.create(s3.endpoint()), artifactsBucket(),
                    rules, event -> {
                        Invocable.Outcome outcome = functions.get(function).invoke(event, S3_INVOKE_TIMEOUT);
                        return outcome.error() ? Optional.of(outcome.body()) : Optional.empty();
                    }, deliveries, S3Notifications.RETRY_DELAYS));
        });
    }

    /** One scheduled event, stamped with the current time, as EventBridge sends it. */
    private void fire(String function, String template) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(template);
            event.put("id", java.util.UUID.randomUUID().toString()).put("time", Instant.now().toString());
            functions.get(function).invoke(event.toString(), Duration.ofMinutes(2));
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            System.err.println("run-local: scheduled " + function + " failed: " + e);
        }
    }

    private void startDynamoDbLocal(int port) throws IOException {
        Process process = new ProcessBuilder(javaCommand(DynamoDbLocalMain.class.getName(), String.valueOf(port)))
                .redirectErrorStream(true).start();
        processes.add(process);
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = output.readLine(); ; line = output.readLine()) {
            if (line == null) {
                throw new IllegalStateException("DynamoDB Local exited during start");
            }
            if (line.equals("ready")) {
                break;
            }
        }
        drain(process, "dynamodb-local", null);
    }

    /** One instance of a function: the environment Lambda gives it, and ours (the stand-ins' endpoints). */
    private Process startFunction(Path runnerJar, Path jni, String function, int instance, String runtimeApi, Map<String, String> settings)
            throws IOException {
        // the artifact as AWS's Java runtime loads it, run by AWS's runtime interface client
        String classpath = String.join(java.io.File.pathSeparator, runnerJar.toString(),
                runnerJar.resolveSibling("lib").resolve("*").toString(), runtimeClientClasspath());
        ProcessBuilder builder = new ProcessBuilder(LocalProcesses.java(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-D" + JNI_PROPERTY + "=" + jni, "-cp", classpath,
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_FUNQY_EXPORT", function);
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("E2BJOBS_LAUNCH_ENDPOINT", invokeApi.url());
        env.put("LAUNCH_FUNCTION", "launch");
        env.put("NOTIFY_FUNCTION", "notify");
        env.put("FOLLOW_FUNCTION", "follow");
        // secrets by ARN only, as on AWS: the functions read them from Secrets Manager at run time,
        // and no key inherited from whoever started the stack may reach them either
        env.remove("E2B_API_KEY");
        env.put("E2B_API_KEY_SECRET_ARN", LocalSecretsManager.arn(E2B_API_KEY_SECRET));
        env.put("WEBHOOK_SECRET_ARN", LocalSecretsManager.arn(WEBHOOK_SECRET));
        env.put("E2BJOBS_SECRETS_ENDPOINT", secrets.url());
        env.put("E2B_API_URL", e2b.url());
        env.put("E2B_SANDBOX_URL", e2b.url());
        env.put("QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE", "http://127.0.0.1:" + dynamoPort);
        env.put("QUARKUS_DYNAMODB_AWS_REGION", "us-east-1");
        env.put("_PROD_QUARKUS_DYNAMODB_AWS_CREDENTIALS_TYPE", "static");
        env.put("QUARKUS_DYNAMODB_AWS_CREDENTIALS_TYPE", "static");
        env.put("QUARKUS_DYNAMODB_AWS_CREDENTIALS_STATIC_PROVIDER_ACCESS_KEY_ID", "local");
        env.put("QUARKUS_DYNAMODB_AWS_CREDENTIALS_STATIC_PROVIDER_SECRET_ACCESS_KEY", "local");
        env.put("E2BJOBS_DYNAMODB_CREATE_TABLE", "true");
        s3.appConfig().forEach((key, value) -> env.put(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        env.put("ARTIFACTS_BUCKET", ARTIFACTS_BUCKET); // not whatever the shell that started us says
        env.put("E2BJOBS_DEPLOYMENT", "local");
        env.putAll(settings);
        environments.put(function, Map.copyOf(env));
        Path logFile = Files.createDirectories(logDir.resolve(function)).resolve(instance + ".log");
        Process process = builder.start();
        processes.add(process);
        drain(process, function, logFile);
        return process;
    }

    /** Copies a child's output to ours, each line prefixed with its name, and to {@code logFile} (if any) as it comes. */
    private static void drain(Process process, String name, Path logFile) throws IOException {
        java.io.Writer opened = logFile == null ? java.io.Writer.nullWriter() : Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                    java.io.Writer log = opened) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    System.out.println("[" + name + "] " + line);
                    log.write(line + "\n");
                    log.flush();
                }
            } catch (IOException e) {
                // the process has gone, or the stack has stopped and removed its logs
            }
        }, "output-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A value for a secret nobody needs to know: 32 random bytes in hex. */
    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    private static List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(LocalProcesses.java(), "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(Arrays.asList(args));
        return command;
    }

    /**
     * The runtime client's JNI library, extracted once: left to itself, every function process
     * extracts it to the same /tmp/.libaws-lambda-jni.so, and processes starting together crash.
     */
    private static Path runtimeClientLibrary(Path dir) throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        String name = "jni/libaws-lambda-jni.linux-" + arch + ".so";
        for (String entry : runtimeClientClasspath().split(java.io.File.pathSeparator)) {
            try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(entry)) {
                java.util.zip.ZipEntry library = jar.getEntry(name);
                if (library != null) {
                    Path target = dir.resolve("libaws-lambda-jni.so");
                    try (java.io.InputStream in = jar.getInputStream(library)) {
                        Files.copy(in, target);
                    }
                    return target;
                }
            }
        }
        throw new IllegalStateException("no " + name + " in the Lambda runtime interface client");
    }

    /** The runtime interface client's jars, from our own (test) classpath. */
    private static String runtimeClientClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> entry.contains("aws-lambda-java-runtime-interface-client") || entry.contains("aws-lambda-java-serialization"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static Path runnerJar(Path target) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "*-runner.jar")) {
            for (Path jar : jars) {
                return jar;
            }
        }
        throw new IllegalStateException("no packaged artifact in target/: run ./mvnw package -DskipTests");
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        s3Notifications.forEach(S3Notifications::close); // while the functions still answer
        if (gateway != null) {
            gateway.close();
        }
        if (invokeApi != null) {
            invokeApi.close();
        }
        if (secrets != null) {
            secrets.close();
        }
        functions.values().forEach(FunctionInstances::stopScaling);
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
        functions.values().forEach(FunctionInstances::close);
        if (e2b != null) {
            e2b.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (workDir != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(workDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temp dir left behind is harmless
            }
        }
    }
}
