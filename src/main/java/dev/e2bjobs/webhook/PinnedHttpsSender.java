package dev.e2bjobs.webhook;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.job.CallbackTargets;
import dev.e2bjobs.job.WebhookSender;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Callbacks over a TLS socket to the very address {@link CallbackTargets} checked: a name that
 * resolves differently by now (DNS rebinding) cannot redirect the POST, while SNI and hostname
 * verification still use the URL's host. HTTP/1.1, one request per connection, no redirects followed.
 */
@ApplicationScoped
public class PinnedHttpsSender implements WebhookSender {
    /** Connecting and each read: a receiver slower than this counts as unreachable, and is retried. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final SSLContext tls;

    PinnedHttpsSender(AppConfig config) {
        this.tls = tls(config.webhooks());
    }

    @Override
    public int post(CallbackTargets.Target target, Map<String, String> headers, byte[] body) {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(target.address(), target.url().getPort()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(target.url().getHost())));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            write(socket.getOutputStream(), target, headers, body);
            return status(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(OutputStream out, CallbackTargets.Target target, Map<String, String> headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder("POST " + target.url().getRawPath()
                + (target.url().getRawQuery() == null ? "" : "?" + target.url().getRawQuery()) + " HTTP/1.1\r\n");
        head.append("Host: ").append(target.url().getHost()).append(':').append(target.url().getPort()).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** The status code of the answer's status line ("HTTP/1.1 200 OK"). */
    private static int status(InputStream in) throws IOException {
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
        String[] parts = line == null ? new String[0] : line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + line);
        }
        return Integer.parseInt(parts[1]);
    }

    /** The JVM's default trust, or the configured trust store instead. */
    private static SSLContext tls(AppConfig.Webhooks config) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (config.trustStore().isEmpty()) {
                context.init(null, null, null);
                return context;
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            char[] password = config.trustStorePassword().map(secret -> secret.value().toCharArray()).orElse(new char[0]);
            try (InputStream in = java.nio.file.Files.newInputStream(config.trustStore().get())) {
                store.load(in, password);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the webhook trust store cannot be read", e);
        }
    }
}
