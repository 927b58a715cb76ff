package dev.e2bjobs.dynamodb;

import dev.e2bjobs.config.AppConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Where configured (DynamoDB Local), creates the jobs table at start with the same keys and indexes as
 * template.yaml declares for AWS.
 */
@ApplicationScoped
public class JobsTable {
    private static final Logger LOG = Logger.getLogger(JobsTable.class);

    void createIfConfigured(@Observes StartupEvent start, AppConfig config, Instance<DynamoDbClient> client) {
        if (config.dynamodb().createTable()) {
            create(client.get(), config.dynamodb().table());
        }
    }

    public static void create(DynamoDbClient client, String table) {
        try {
            client.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(string("pk"), string("jobId"), string("queuedKey"), string("activeKey"), string("owner"))
                    .keySchema(key("pk", KeyType.HASH))
                    .globalSecondaryIndexes(
                            index(JobTableSchemas.QUEUED_INDEX, "queuedKey", Projection.builder().projectionType(ProjectionType.ALL)),
                            index(JobTableSchemas.ACTIVE_INDEX, "activeKey", Projection.builder().projectionType(ProjectionType.ALL)),
                            index(JobTableSchemas.OWNER_INDEX, "owner", Projection.builder().projectionType(ProjectionType.INCLUDE)
                                    .nonKeyAttributes(JobTableSchemas.SUMMARY_ATTRIBUTES))));
            LOG.infof("created DynamoDB table %s", table);
        } catch (ResourceInUseException exists) {
            LOG.debugf("DynamoDB table %s exists", table);
        }
    }

    private static AttributeDefinition string(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    /** Every index is ordered by jobId, a ULID: oldest first, or newest first when read backwards. */
    private static GlobalSecondaryIndex index(String name, String partition, Projection.Builder projection) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(key(partition, KeyType.HASH), key("jobId", KeyType.RANGE))
                .projection(projection.build())
                .build();
    }
}
