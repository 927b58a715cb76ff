package dev.e2bjobs.dynamodb;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.environment.Environment;
import dev.e2bjobs.environment.EnvironmentKey;
import dev.e2bjobs.environment.EnvironmentStore;
import dev.e2bjobs.sandbox.Egress;
import dev.e2bjobs.sandbox.SandboxRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Environments in the jobs table under {@code pk = ENV#<id>}. A replace is one conditional put: the
 * item must be absent, or still carry the state, failure count and lease or retry time it was read with.
 */
@ApplicationScoped
public class DynamoDbEnvironmentStore implements EnvironmentStore {
    private static final String PREFIX = "ENV#";

    private final DynamoDbClient client;
    private final String table;
    private final DynamoDbTable<EnvironmentItem> environments;
    private final DynamoDbIndex<EnvironmentItem> active;

    @Inject
    DynamoDbEnvironmentStore(DynamoDbClient client, AppConfig config) {
        this(client, config.dynamodb().table());
    }

    public DynamoDbEnvironmentStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
        this.environments = DynamoDbEnhancedClient.builder().dynamoDbClient(client).build().table(table, JobTableSchemas.ENVIRONMENT);
        this.active = environments.index(JobTableSchemas.ACTIVE_INDEX);
    }

    @Override
    public Optional<Environment> find(String id) {
        return Optional.ofNullable(environments.getItem(Key.builder().partitionValue(PREFIX + id).build())).map(DynamoDbEnvironmentStore::environment);
    }

    @Override
    public boolean replace(Environment next, Environment previous) {
        try {
            environments.putItem(PutItemEnhancedRequest.builder(EnvironmentItem.class).item(item(next))
                    .conditionExpression(previous == null ? absent() : unchangedSince(previous)).build());
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        }
    }

    private static Expression absent() {
        return Expression.builder().expression("attribute_not_exists(pk)").build();
    }

    private static Expression unchangedSince(Environment previous) {
        return Expression.builder()
                .expression("#state = :state AND #failures = :failures AND #deadline = :deadline")
                .expressionNames(Map.of("#state", "state", "#failures", "failures",
                        "#deadline", previous.state() == Environment.State.FAILED ? "retryAt" : "leaseUntil"))
                .expressionValues(Map.of(":state", AttributeValue.fromS(previous.state().name()),
                        ":failures", AttributeValue.fromN(String.valueOf(previous.failures())),
                        ":deadline", AttributeValue.fromN(String.valueOf(millis(previous.state() == Environment.State.FAILED
                                ? previous.retryAt() : previous.leaseUntil())))))
                .build();
    }

    /** One UpdateItem: ADD keeps every racing launcher's count, the condition keeps a dropped environment dropped. */
    @Override
    public void recordUse(String id, Instant at) {
        try {
            client.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(Map.of("pk", AttributeValue.fromS(PREFIX + id)))
                    .updateExpression("ADD hits :one SET lastUsedAt = :at")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"), ":at", AttributeValue.fromN(String.valueOf(at.toEpochMilli()))))
                    .build());
        } catch (ConditionalCheckFailedException gone) {
            // dropped meanwhile: the job started from its snapshot all the same
        }
    }

    /** One Query of the active index's environment partition. */
    @Override
    public List<Environment> all() {
        return active.query(QueryConditional.keyEqualTo(Key.builder().partitionValue(EnvironmentItem.ACTIVE_PARTITION).build()))
                .stream().flatMap(page -> page.items().stream()).map(DynamoDbEnvironmentStore::environment).toList();
    }

    @Override
    public void delete(String id) {
        environments.deleteItem(Key.builder().partitionValue(PREFIX + id).build());
    }

    private static EnvironmentItem item(Environment environment) {
        EnvironmentKey key = environment.key();
        EnvironmentItem item = new EnvironmentItem();
        item.pk = PREFIX + environment.id();
        item.jobId = environment.id();
        item.activeKey = EnvironmentItem.ACTIVE_PARTITION;
        item.scope = key.scope();
        item.template = key.template();
        item.requirements = key.requirements();
        item.egressAnywhere = key.installEgress().anywhere();
        item.egressHosts = key.installEgress().hosts();
        item.state = environment.state().name();
        item.snapshotId = environment.snapshotId();
        if (environment.builder() != null) {
            item.builderSandboxId = environment.builder().sandboxId();
            item.builderToken = environment.builder().accessToken();
            item.builderDomain = environment.builder().domain();
        }
        item.frozen = environment.frozen();
        item.sizeBytes = environment.sizeBytes();
        item.buildLog = environment.buildLog();
        item.createdAt = millis(environment.createdAt());
        item.lastUsedAt = millis(environment.lastUsedAt());
        item.hits = environment.hits();
        item.leaseUntil = millis(environment.leaseUntil());
        item.retryAt = millis(environment.retryAt());
        item.failures = environment.failures();
        return item;
    }

    private static Environment environment(EnvironmentItem item) {
        EnvironmentKey key = new EnvironmentKey(item.scope, item.template, item.requirements,
                new Egress(Boolean.TRUE.equals(item.egressAnywhere), item.egressHosts == null ? List.of() : item.egressHosts));
        SandboxRef builder = item.builderSandboxId == null ? null : new SandboxRef(item.builderSandboxId, item.builderToken, item.builderDomain);
        return new Environment(key, Environment.State.valueOf(item.state), item.snapshotId, builder, item.frozen, item.sizeBytes, item.buildLog,
                instant(item.createdAt), instant(item.lastUsedAt), item.hits, instant(item.leaseUntil), instant(item.retryAt), item.failures);
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
