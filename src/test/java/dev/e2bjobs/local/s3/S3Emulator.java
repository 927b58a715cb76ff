package dev.e2bjobs.local.s3;

import dev.e2bjobs.local.LocalProcesses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * S3Proxy (Maven Central, copied to target/s3proxy.jar by the build) as a child process: an in-memory
 * S3 on 127.0.0.1 that checks AWS signatures with the credentials {@value #KEY}/{@value #KEY}.
 */
public final class S3Emulator implements AutoCloseable {
    public static final String KEY = "local";
    private static final Path JAR = Path.of("target/s3proxy.jar");

    private final Process process;
    private final Path config;
    private final int port;

    private S3Emulator(Process process, Path config, int port) {
        this.process = process;
        this.config = config;
        this.port = port;
    }

    /** On a free loopback port. */
    public static S3Emulator start() throws IOException, InterruptedException {
        return start(0);
    }

    /** On {@code port} of 127.0.0.1 (0: a free one). */
    public static S3Emulator start(int port) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run ./mvnw test-compile (it copies S3Proxy there)");
        }
        if (port == 0) {
            port = LocalProcesses.freeLoopbackPort();
        } else {
            requireFree(port); // else the probe below would take whoever listens there for S3Proxy
        }
        Path config = Files.createTempFile("s3proxy-", ".conf");
        Files.writeString(config, String.join("\n", List.of(
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + KEY,
                "s3proxy.credential=" + KEY,
                "jclouds.provider=transient",
                "jclouds.identity=" + KEY,
                "jclouds.credential=" + KEY)) + "\n");
        Process process = new ProcessBuilder(LocalProcesses.java(), "-Xmx256m",
                "-jar", JAR.toString(), "--properties", config.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        S3Emulator emulator = new S3Emulator(process, config, port);
        for (int attempt = 0; attempt < 300; attempt++) {
            if (!process.isAlive()) {
                emulator.close();
                throw new IllegalStateException("S3Proxy exited during start");
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return emulator;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        emulator.close();
        throw new IllegalStateException("S3Proxy did not start listening on " + port);
    }

    private static void requireFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
            // free: S3Proxy may have it
        } catch (IOException inUse) {
            throw new IllegalStateException("port " + port + " for the S3 emulator is in use (another local stack?)", inUse);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** An SDK client for this emulator. */
    public S3Client client() {
        return client(URI.create(endpoint()));
    }

    /**
     * An SDK client for an S3 emulator at {@code endpoint}, configured as the app's S3ArtifactStore
     * configures one: buckets by path, checksums only where required, our credentials.
     */
    public static S3Client client(URI endpoint) {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1).endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, KEY)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** The app's settings for this emulator (bucket created at start). */
    public Map<String, String> appConfig() {
        return Map.of(
                "e2bjobs.artifacts.endpoint", endpoint(),
                "e2bjobs.aws.access-key-id", KEY,
                "e2bjobs.aws.secret-access-key", KEY,
                "e2bjobs.artifacts.create-bucket", "true");
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(config);
        } catch (InterruptedException | IOException e) {
            process.destroyForcibly();
        }
    }
}
