package dev.e2bjobs.dynamodb;

import dev.e2bjobs.config.AppConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
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
 * The jobs table: the Enhanced Client over Quarkus' DynamoDB client, and, where configured (DynamoDB
 * Local), the table itself with the same keys and indexes as template.yaml declares for AWS.
 */
@ApplicationScoped
public class JobsTable {
    private static final Logger LOG = Logger.getLogger(JobsTable.class);

    @Produces
    @ApplicationScoped
    DynamoDbEnhancedClient enhancedClient(DynamoDbClient client) {
        return DynamoDbEnhancedClient.builder().dynamoDbClient(client).build();
    }

    void createIfConfigured(@Observes StartupEvent start, AppConfig config, Instance<DynamoDbClient> client) {
        if (config.dynamodb().createTable()) {
            create(client.get(), config.dynamodb().table());
        }
    }

    static void create(DynamoDbClient client, String table) {
        try {
            client.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(string("pk"), string("activeKey"), string("owner"), string("createdSort"))
                    .keySchema(key("pk", KeyType.HASH))
                    .globalSecondaryIndexes(
                            index(JobTableSchemas.ACTIVE_INDEX, "activeKey", "createdSort"),
                            index(JobTableSchemas.OWNER_INDEX, "owner", "createdSort")));
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

    private static GlobalSecondaryIndex index(String name, String partition, String sort) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(key(partition, KeyType.HASH), key(sort, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }
}
