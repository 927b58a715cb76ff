package dev.e2bjobs.local.e2b;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback server that speaks E2B's wire protocol: the control plane (/sandboxes, /v2/sandboxes)
 * and, on the same port, every sandbox's envd, routed by the E2b-Sandbox-Id and E2b-Sandbox-Port
 * headers. Point the official SDKs at it with E2B_API_URL and E2B_SANDBOX_URL. For local development
 * and tests only; it is never packaged into the Lambda artifact.
 */
public final class LocalE2bServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalE2bServer.class.getName());
    /** {port}-{sandboxId}.{domain}, the host form E2B uses when no routing headers are sent. */
    /** How long a request whose answer is to be lost may take before the injected error goes out. */
    private static final long LOST_ANSWER_WAIT_MILLIS = 10_000;
    private static final Pattern SANDBOX_HOST = Pattern.compile("^(\\d+)-([a-z0-9]+)\\.");

    static {
        // Headers and body leave in separate writes; without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK add ~40 ms to every small response.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer http;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final Sandboxes sandboxes;
    private final Snapshots snapshots;
    private final ControlPlane controlPlane;
    private final Envd envd;
    private final FaultInjector faults;
    private final FaultAdmin admin;
    private final Optional<IndexReads> indexReads;
    private final Path dataDir;
    private final boolean ownsDataDir;

    private LocalE2bServer(LocalE2bSettings settings) throws IOException {
        // Bind first: a taken port must fail before anything is created on disk.
        this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 128);
        this.ownsDataDir = settings.dataDir() == null;
        this.dataDir = ownsDataDir ? Files.createTempDirectory("local-e2b-") : Files.createDirectories(settings.dataDir());
        try {
            Isolation.makeTraversable(dataDir);
            Path sandboxDir = Files.createDirectories(dataDir.resolve("sandboxes"));
            Isolation.makeTraversable(sandboxDir);
            PackageIndex packageIndex = PackageIndex.build(dataDir.resolve("index"), settings.packages());
            Isolation isolation = Isolation.create(settings.isolation(), settings.limits(), packageIndex, dataDir.resolve("support"));
            this.scheduler = Executors.newScheduledThreadPool(2, daemonThreads("local-e2b-timer"));
            this.sandboxes = new Sandboxes(settings.maxSandboxes(), isolation, sandboxDir, scheduler);
            this.snapshots = Snapshots.open(dataDir.resolve("snapshots"));
            this.indexReads = IndexReads.watch(packageIndex.dir());
        } catch (IOException | RuntimeException e) {
            http.stop(0);
            if (ownsDataDir) {
                Sandboxes.deleteTree(dataDir);
            }
            throw e;
        }
        this.controlPlane = new ControlPlane(sandboxes, snapshots, settings.maxTimeoutSeconds(), settings.apiKey());
        this.envd = new Envd(sandboxes);
        this.faults = new FaultInjector(settings.faults());
        this.admin = new FaultAdmin(faults, sandboxes, controlPlane, indexReads);
        this.workers = Executors.newCachedThreadPool(daemonThreads("local-e2b-http"));
        http.setExecutor(workers);
        http.createContext("/", this::handle);
        http.start();
    }

    /** Starts a server on 127.0.0.1 with the given settings. */
    public static LocalE2bServer start(LocalE2bSettings settings) throws IOException {
        return new LocalE2bServer(settings);
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** The base URL for both E2B_API_URL and E2B_SANDBOX_URL. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Whether sandbox processes run under bubblewrap. */
    public boolean isolated() {
        return sandboxes.isolation().confined();
    }

    /** Fault injection, adjustable while the server runs. */
    public FaultInjector faults() {
        return faults;
    }

    /** Where a sandbox's tree lives on the host (for tests that look behind the protocol). */
    public Path sandboxRoot(String sandboxId) {
        return sandboxes.get(sandboxId).map(s -> s.files.root()).orElseThrow();
    }

    /** The host processes of a sandbox, its own init included (for tests that look behind the protocol). */
    public List<ProcessHandle> sandboxProcesses(String sandboxId) {
        return sandboxes.get(sandboxId).map(s -> s.machine.processes()).orElse(List.of());
    }

    private void handle(HttpExchange exchange) {
        Exchange ex = null;
        try {
            ex = new Exchange(exchange);
            if (ex.path.startsWith(FaultAdmin.PREFIX)) {
                admin.handle(ex);
                return;
            }
            String sandboxId = ex.header("E2b-Sandbox-Id");
            String port = ex.header("E2b-Sandbox-Port");
            Matcher byHost = SANDBOX_HOST.matcher(String.valueOf(ex.header("Host")));
            if (sandboxId == null && byHost.find()) {
                sandboxId = byHost.group(2);
                port = byHost.group(1);
            }
            if (sandboxId == null && FileSignature.isSigned(ex)) {
                sandboxId = envd.signedFor(ex);
            }
            RouteFamily family = sandboxId != null ? Envd.family(ex.path, port == null ? Envd.ENVD_PORT : parsePort(port))
                    : ex.path.equals("/health") ? null : RouteFamily.CONTROL;
            FaultInjector.Injection injection = family == null ? FaultInjector.Injection.NONE : faults.next(family);
            if (injection.error() == null) {
                route(ex, sandboxId, port);
                return;
            }
            if (injection.afterHandling()) {
                serveWithLostAnswer(exchange, sandboxId, port);
            }
            throw injection.error();
        } catch (ConnectionDropped e) {
            throw e; // unanswered: the JDK server closes the connection of a handler that throws
        } catch (HttpError e) {
            respond(exchange, ex, e);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "request failed: " + exchange.getRequestMethod() + " " + exchange.getRequestURI(), e);
            respond(exchange, ex, HttpError.of(500, "internal error: " + e.getMessage()));
        }
        exchange.close();
    }

    /**
     * Serves the request on another thread with its answer thrown away, and returns once that answer
     * has begun (a stream keeps running there, as envd keeps a process whose client has gone).
     */
    private void serveWithLostAnswer(HttpExchange exchange, String sandboxId, String port) throws InterruptedException {
        LostAnswerExchange lost = new LostAnswerExchange(exchange);
        workers.execute(() -> {
            try {
                route(new Exchange(lost), sandboxId, port);
            } catch (Exception answerLostAnyway) {
                lost.sendResponseHeaders(500, -1);
            }
        });
        lost.awaitAnswer(LOST_ANSWER_WAIT_MILLIS);
    }

    private void route(Exchange ex, String sandboxId, String port) throws IOException {
        if (sandboxId != null) {
            envd.handle(ex, sandboxId, port == null ? Envd.ENVD_PORT : parsePort(port));
        } else {
            controlPlane.handle(ex);
        }
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw HttpError.of(400, "invalid E2b-Sandbox-Port: " + value);
        }
    }

    private static void respond(HttpExchange exchange, Exchange ex, HttpError error) {
        try {
            error.headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            (ex != null ? ex : new Exchange(exchange)).sendJson(error.status, error.body);
        } catch (IOException | RuntimeException e) {
            // headers already sent or the client has gone: nothing more can be said
        }
    }

    @Override
    public void close() {
        http.stop(0);
        sandboxes.close();
        indexReads.ifPresent(IndexReads::close);
        scheduler.shutdownNow();
        workers.shutdownNow();
        if (ownsDataDir) {
            Sandboxes.deleteTree(dataDir);
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** {@code scripts/local-e2b}: runs in the foreground until Ctrl-C or SIGTERM, which kill every sandbox. */
    public static void main(String[] args) throws Exception {
        LocalE2bSettings settings;
        try {
            settings = LocalE2bSettings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("local-e2b: " + e.getMessage());
            System.err.println(LocalE2bSettings.USAGE);
            System.exit(2);
            return;
        }
        LocalE2bServer server;
        try {
            server = start(settings);
        } catch (java.net.BindException e) {
            System.err.println("local-e2b: cannot listen on 127.0.0.1:" + settings.port() + ": " + e.getMessage());
            System.exit(1);
            return;
        } catch (IllegalStateException e) {
            System.err.println("local-e2b: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "local-e2b-shutdown"));
        System.out.println("local-e2b listening on " + server.url()
                + (server.isolated() ? " (sandboxes isolated with bubblewrap)" : " (sandboxes NOT isolated)"));
        System.out.flush();
        stopped.await();
    }
}
