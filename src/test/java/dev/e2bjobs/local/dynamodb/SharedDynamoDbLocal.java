package dev.e2bjobs.local.dynamodb;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.e2bjobs.dynamodb.JobsTable;
import dev.e2bjobs.local.LocalProcesses;
import java.net.URI;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One DynamoDB Local (in memory, loopback) for every test class of a run, started on first use and
 * stopped when the JVM exits; each test (or Quarkus test profile) gets a fresh table of its own.
 */
public final class SharedDynamoDbLocal {
    private static DynamoDbClient client;
    private static String endpoint;

    private SharedDynamoDbLocal() {
    }

    /** A new, empty jobs table (with the production indexes) on the shared server. */
    public static synchronized String newTable() {
        String table = "jobs-" + UUID.randomUUID();
        JobsTable.create(client(), table);
        return table;
    }

    /** The shared server's endpoint, e.g. http://127.0.0.1:41234. */
    public static synchronized String endpoint() {
        client();
        return endpoint;
    }

    public static synchronized DynamoDbClient client() {
        if (client == null) {
            int port = LocalProcesses.freeLoopbackPort();
            DynamoDBProxyServer server;
            try {
                server = ServerRunner.createServerFromCommandLineArgs(
                        new String[] {"-inMemory", "-port", String.valueOf(port), "-disableTelemetry"});
                DynamoDbLocalMain.onLoopbackOnly(server);
                server.start();
            } catch (Exception e) {
                throw new IllegalStateException("DynamoDB Local did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "dynamodb-local-stop"));
            endpoint = "http://127.0.0.1:" + port;
            client = clientFor(endpoint);
        }
        return client;
    }

    /** A client of the DynamoDB Local at {@code endpoint} (this one, or a local stack's). */
    public static DynamoDbClient clientFor(String endpoint) {
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static void stop(DynamoDBProxyServer server) {
        try {
            server.stop();
        } catch (Exception e) {
            // the JVM is exiting anyway
        }
    }
}
