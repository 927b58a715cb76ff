package dev.e2bjobs.local.dynamodb;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import dev.e2bjobs.local.LocalProcesses;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * DynamoDB Local (the Maven Central artifact) in memory on a free loopback port for a Quarkus test
 * run; the app creates its table there at start.
 */
public class DynamoDbLocalResource implements QuarkusTestResourceLifecycleManager {
    private DynamoDBProxyServer server;

    @Override
    public Map<String, String> start() {
        int port = LocalProcesses.freeLoopbackPort();
        try {
            server = ServerRunner.createServerFromCommandLineArgs(
                    new String[] {"-inMemory", "-port", String.valueOf(port), "-disableTelemetry"});
            DynamoDbLocalMain.onLoopbackOnly(server);
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start", e);
        }
        return Map.of(
                "quarkus.dynamodb.endpoint-override", "http://127.0.0.1:" + port,
                "quarkus.dynamodb.aws.region", "us-east-1",
                "quarkus.dynamodb.aws.credentials.type", "static",
                "quarkus.dynamodb.aws.credentials.static-provider.access-key-id", "local",
                "quarkus.dynamodb.aws.credentials.static-provider.secret-access-key", "local",
                "e2bjobs.dynamodb.create-table", "true");
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.stop();
            }
        } catch (Exception e) {
            // nothing left to release
        }
    }
}
