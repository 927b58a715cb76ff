package dev.e2bjobs.local.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A callback receiver for a Quarkus test run: HTTPS on loopback with a certificate made for the run
 * (keytool), which the app is told to trust and whose origin it may call back (in test mode only).
 * It records what it receives and answers 500 to as many requests as a test asks for; both over a
 * plain-HTTP admin port, since tests and resources live in different class loaders.
 */
public class WebhookReceiverResource implements QuarkusTestResourceLifecycleManager {
    public static final String PASSWORD = "changeit";
    public static final String SECRET = "test-webhook-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Map<String, Object>> received = new ArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private HttpsServer receiver;
    private HttpServer admin;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("webhook-receiver-");
            Path keyStore = dir.resolve("receiver.p12");
            Path trustStore = dir.resolve("trust.p12");
            keytool("-genkeypair", "-alias", "receiver", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                    "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool("-exportcert", "-alias", "receiver", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-file",
                    dir.resolve("receiver.cer").toString());
            keytool("-importcert", "-noprompt", "-alias", "receiver", "-file", dir.resolve("receiver.cer").toString(), "-storetype", "PKCS12",
                    "-keystore", trustStore.toString(), "-storepass", PASSWORD);
            startServers(keyStore);
            int port = receiver.getAddress().getPort();
            return Map.of("e2bjobs.webhooks.trust-store", trustStore.toString(), "e2bjobs.webhooks.trust-store-password", PASSWORD,
                    "e2bjobs.webhooks.test-loopback-origins", "https://localhost:" + port, "e2bjobs.webhooks.secret", SECRET,
                    "e2bjobs.webhooks.first-backoff", "50ms",
                    "test.webhook.url", "https://localhost:" + port, "test.webhook.admin", "http://127.0.0.1:" + admin.getAddress().getPort());
        } catch (Exception e) {
            throw new IllegalStateException("the webhook receiver did not start", e);
        }
    }

    private void startServers(Path keyStore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);
        receiver = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        receiver.setHttpsConfigurator(new HttpsConfigurator(tls));
        receiver.createContext("/", this::receive);
        receiver.start();
        admin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        admin.createContext("/", this::administer);
        admin.start();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, Object> request = Map.of("path", exchange.getRequestURI().getPath(),
                    "timestamp", String.valueOf(exchange.getRequestHeaders().getFirst("X-E2bJobs-Timestamp")),
                    "signature", String.valueOf(exchange.getRequestHeaders().getFirst("X-E2bJobs-Signature")),
                    "body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            synchronized (received) {
                received.add(request);
            }
            exchange.sendResponseHeaders(failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 204, -1);
        }
    }

    /** GET /received: what arrived, in order; PUT /fail/{n}: the next n requests get 500. */
    private void administer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = new byte[0];
            if (path.startsWith("/fail/")) {
                failNext.set(Integer.parseInt(path.substring("/fail/".length())));
            } else {
                synchronized (received) {
                    ArrayNode all = JSON.createArrayNode();
                    received.forEach(request -> all.add(JSON.valueToTree(request)));
                    body = all.toString().getBytes(StandardCharsets.UTF_8);
                }
            }
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }

    @Override
    public void stop() {
        if (receiver != null) {
            receiver.stop(0);
            admin.stop(0);
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
