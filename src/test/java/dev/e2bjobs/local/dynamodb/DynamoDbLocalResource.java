package dev.e2bjobs.local.dynamodb;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A fresh jobs table on the shared DynamoDB Local (the Maven Central artifact, in memory, loopback)
 * for a Quarkus test run: every profile gets its own table, and the server starts once per JVM.
 */
public class DynamoDbLocalResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.dynamodb.endpoint-override", SharedDynamoDbLocal.endpoint(),
                "quarkus.dynamodb.aws.region", "us-east-1",
                "quarkus.dynamodb.aws.credentials.type", "static",
                "quarkus.dynamodb.aws.credentials.static-provider.access-key-id", "local",
                "quarkus.dynamodb.aws.credentials.static-provider.secret-access-key", "local",
                "e2bjobs.dynamodb.table", SharedDynamoDbLocal.newTable());
    }

    @Override
    public void stop() {
        // the shared server stops with the JVM; its tables are in memory
    }
}
