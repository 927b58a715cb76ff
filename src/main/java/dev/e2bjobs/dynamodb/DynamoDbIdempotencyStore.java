package dev.e2bjobs.dynamodb;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.job.IdempotencyRecord;
import dev.e2bjobs.job.IdempotencyStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Idempotency-Key records in the jobs table under {@code pk = IDEM#<owner>#<key>}. A claim is one
 * conditional put that answers the item it replaced, or the one that stopped it, in the same round
 * trip ({@code ReturnValues} / {@code ReturnValuesOnConditionCheckFailure} = ALL_OLD). An expired
 * record counts as free even before DynamoDB's TTL has deleted it (that can take days).
 */
@ApplicationScoped
public class DynamoDbIdempotencyStore implements IdempotencyStore {
    private static final String PREFIX = "IDEM#";

    private final DynamoDbTable<IdempotencyItem> keys;
    private final Clock clock;

    @Inject
    DynamoDbIdempotencyStore(DynamoDbClient client, AppConfig config, Clock clock) {
        this(client, config.dynamodb().table(), clock);
    }

    public DynamoDbIdempotencyStore(DynamoDbClient client, String table, Clock clock) {
        this.keys = DynamoDbEnhancedClient.builder().dynamoDbClient(client).build().table(table, JobTableSchemas.IDEMPOTENCY);
        this.clock = clock;
    }

    @Override
    public ClaimResult claim(IdempotencyRecord claim) {
        Instant now = clock.instant();
        Expression freeExpiredOrAbandoned = Expression.builder()
                .expression("attribute_not_exists(pk) OR #expiresAt < :nowSeconds OR (#completed = :false AND #claimUntil < :nowMillis)")
                .expressionNames(Map.of("#completed", "completed", "#claimUntil", "claimUntil", "#expiresAt", "expiresAt"))
                .expressionValues(Map.of(":false", AttributeValue.fromBool(false),
                        ":nowMillis", AttributeValue.fromN(String.valueOf(now.toEpochMilli())),
                        ":nowSeconds", AttributeValue.fromN(String.valueOf(now.getEpochSecond()))))
                .build();
        try {
            PutItemEnhancedResponse<IdempotencyItem> replaced = keys.putItemWithResponse(PutItemEnhancedRequest.builder(IdempotencyItem.class)
                    .item(item(claim)).conditionExpression(freeExpiredOrAbandoned).returnValues(ReturnValue.ALL_OLD)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD).build());
            return new ClaimResult(true, replaced.attributes() == null ? null : record(claim, replaced.attributes()));
        } catch (ConditionalCheckFailedException taken) {
            IdempotencyItem existing = JobTableSchemas.IDEMPOTENCY.mapToItem(taken.item());
            return new ClaimResult(false, record(claim, existing));
        }
    }

    @Override
    public void put(IdempotencyRecord record) {
        keys.putItem(item(record));
    }

    private static IdempotencyItem item(IdempotencyRecord record) {
        IdempotencyItem item = new IdempotencyItem();
        item.setPk(PREFIX + record.owner() + "#" + record.key());
        item.setPayloadHash(record.payloadHash());
        item.setJobIds(record.jobIds());
        item.setCompleted(record.completed());
        item.setClaimUntil(record.claimUntil().toEpochMilli());
        item.setExpiresAt(record.expiresAt().getEpochSecond());
        return item;
    }

    private static IdempotencyRecord record(IdempotencyRecord claim, IdempotencyItem item) {
        return new IdempotencyRecord(claim.owner(), claim.key(), item.getPayloadHash(), item.getJobIds(),
                Boolean.TRUE.equals(item.getCompleted()), Instant.ofEpochMilli(item.getClaimUntil()),
                Instant.ofEpochSecond(item.getExpiresAt()));
    }
}
