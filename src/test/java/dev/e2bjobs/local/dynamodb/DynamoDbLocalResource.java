package dev.e2bjobs.local.dynamodb;

import java.time.Duration;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.dynamodb.DynamoDbJobStore;
import dev.e2bjobs.local.StandIn;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A fresh jobs table on the shared DynamoDB Local (the Maven Central artifact, in memory, loopback)
 * for a Quarkus test run: every profile gets its own table, and the server starts once per JVM.
 */
public class DynamoDbLocalResource implements QuarkusTestResourceLifecycleManager {

    private String table;

    @Override
    public Map<String, String> start() {
        table = SharedDynamoDbLocal.newTable();
        return Map.of(
                "quarkus.dynamodb.endpoint-override", SharedDynamoDbLocal.endpoint(),
                "quarkus.dynamodb.aws.region", "us-east-1",
                "quarkus.dynamodb.aws.credentials.type", "static",
                "quarkus.dynamodb.aws.credentials.static-provider.access-key-id", "local",
                "quarkus.dynamodb.aws.credentials.static-provider.secret-access-key", "local",
                "e2bjobs.dynamodb.table", table);
    }

    /** Fills {@code @StandIn JobStore} fields: the app's table, read and written through the app's own adapter. */
    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new DynamoDbJobStore(SharedDynamoDbLocal.client(), table, Duration.ofDays(30)),
                new TestInjector.AnnotatedAndMatchesType(StandIn.class, JobStore.class));
    }

    @Override
    public void stop() {
        // the shared server stops with the JVM; its tables are in memory
    }
}
