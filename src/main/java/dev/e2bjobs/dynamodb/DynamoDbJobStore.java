package dev.e2bjobs.dynamodb;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.job.ConcurrentUpdateException;
import dev.e2bjobs.job.InvalidJobRequestException;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobStatus;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.job.NoFreeSlotException;
import dev.e2bjobs.job.QuotaExceededException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Jobs and the slot counter in one DynamoDB table. Items are mapped by the Enhanced Client's static
 * schema and read through it; writes go through the low-level client, because each carries its own
 * condition: a new job must not exist, a changed job must still be at the version it was read at, and
 * a job that takes or gives back a slot is written in one transaction with the counter item, which
 * never exceeds the cap.
 */
@ApplicationScoped
public class DynamoDbJobStore implements JobStore {
    private static final Logger LOG = Logger.getLogger(DynamoDbJobStore.class);
    static final String SLOTS_PK = "SLOTS";
    /** Per owner: {@code unfinished}, the owner's jobs that have not ended, against its quota. */
    static final String OWNER_PREFIX = "OWNER#";
    private static final String HELD = "held";
    private static final String UNFINISHED = "unfinished";
    /** Racing launchers meet on the counter item; DynamoDB then cancels all but one transaction. */
    private static final int CONFLICT_RETRIES = 8;
    private static final String CONDITION_FAILED = "ConditionalCheckFailed";
    private static final String CONFLICT = "TransactionConflict";

    private final DynamoDbClient client;
    private final DynamoDbTable<JobItem> jobs;
    private final String table;
    private final Duration retention;

    @Inject
    DynamoDbJobStore(DynamoDbClient client, AppConfig config) {
        this(client, config.dynamodb().table(), config.jobs().retention());
    }

    public DynamoDbJobStore(DynamoDbClient client, String table, Duration retention) {
        this.client = client;
        this.jobs = DynamoDbEnhancedClient.builder().dynamoDbClient(client).build().table(table, JobTableSchemas.JOB);
        this.table = table;
        this.retention = retention;
    }

    @Override
    public List<Job> create(List<Job> newJobs, int quota) {
        String owner = newJobs.get(0).owner();
        List<TransactWriteItem> writes = new ArrayList<>(newJobs.stream()
                .map(job -> TransactWriteItem.builder().put(put(job, 1).conditionExpression("attribute_not_exists(pk)").build()).build())
                .toList());
        writes.add(counter(OWNER_PREFIX + owner, UNFINISHED, newJobs.size(), "attribute_not_exists(#n) OR #n <= :limit",
                quota - newJobs.size()));
        try {
            transact(writes);
        } catch (TransactionCanceledException e) {
            if (failedCondition(e, writes.size() - 1)) {
                throw new QuotaExceededException(owner, quota);
            }
            throw new ConcurrentUpdateException(newJobs.get(0).jobId(), e);
        }
        return newJobs.stream().map(job -> job.atVersion(1)).toList();
    }

    @Override
    public Optional<Job> find(String jobId) {
        return Optional.ofNullable(jobs.getItem(r -> r.key(key(jobId)).consistentRead(true))).map(JobItems::job);
    }

    @Override
    public Job update(Job next) {
        try {
            client.putItem(b -> b.tableName(table).item(itemMap(next, next.version() + 1))
                    .conditionExpression("version = :version")
                    .expressionAttributeValues(Map.of(":version", number(next.version()))));
        } catch (ConditionalCheckFailedException e) {
            throw new ConcurrentUpdateException(next.jobId(), e);
        }
        return next.atVersion(next.version() + 1);
    }

    @Override
    public Job end(Job ended) {
        return withCounter(ended, counter(OWNER_PREFIX + ended.owner(), UNFINISHED, -1, "#n > :limit", 0), () -> {
            LOG.warnf("job %s ends, but its owner's count of unfinished jobs is missing (stored before quotas?); ending it alone",
                    ended.jobId());
            return update(ended);
        });
    }

    @Override
    public Job takeSlot(Job next, int cap) {
        return withCounter(next, counter(SLOTS_PK, HELD, 1, "attribute_not_exists(#n) OR #n < :limit", cap), () -> {
            throw new NoFreeSlotException(cap);
        });
    }

    @Override
    public Job giveSlotBack(Job next) {
        return withCounter(next, counter(SLOTS_PK, HELD, -1, "#n > :limit", 0), () -> {
            LOG.errorf("job %s gives a slot back, but the counter holds none (changed by hand?); releasing the job alone", next.jobId());
            return update(next);
        });
    }

    /** {@link #update} of {@code next} in one transaction with a counter; {@code counterRefused} decides when the counter's condition fails. */
    private Job withCounter(Job next, TransactWriteItem counter, Supplier<Job> counterRefused) {
        try {
            transact(List.of(versioned(next), counter));
        } catch (TransactionCanceledException e) {
            // a stale job is a lost race, whatever the counter said (the winner may have moved it too)
            if (!failedCondition(e, 0) && failedCondition(e, 1)) {
                return counterRefused.get();
            }
            throw new ConcurrentUpdateException(next.jobId(), e);
        }
        return next.atVersion(next.version() + 1);
    }

    /** Adds {@code delta} to a counter item's attribute, on condition (its placeholders: #n the attribute, :limit). */
    private TransactWriteItem counter(String pk, String attribute, int delta, String condition, int limit) {
        return TransactWriteItem.builder().update(Update.builder().tableName(table).key(Map.of("pk", AttributeValue.fromS(pk)))
                .updateExpression("SET #n = if_not_exists(#n, :zero) + :delta")
                .conditionExpression(condition)
                .expressionAttributeNames(Map.of("#n", attribute))
                .expressionAttributeValues(Map.of(":zero", number(0), ":delta", number(delta), ":limit", number(limit)))
                .build()).build();
    }

    @Override
    public int slotsHeld() {
        Map<String, AttributeValue> counter = client.getItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(SLOTS_PK)))
                .consistentRead(true)).item();
        return counter == null || !counter.containsKey("held") ? 0 : Integer.parseInt(counter.get("held").n());
    }

    @Override
    public List<Job> holding(int limit) {
        return readIndex(JobTableSchemas.ACTIVE_INDEX, "ACTIVE", null, limit);
    }

    @Override
    public List<Job> queued(int limit, Instant now) {
        Expression due = Expression.builder().expression("attribute_not_exists(notBefore) OR notBefore <= :now")
                .expressionValues(Map.of(":now", number(now.toEpochMilli()))).build();
        return readIndex(JobTableSchemas.QUEUED_INDEX, "QUEUED", due, limit);
    }

    private List<Job> readIndex(String index, String partition, Expression filter, int limit) {
        QueryEnhancedRequest.Builder query = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(partition)))
                .limit(Math.min(limit, 100));
        if (filter != null) {
            query.filterExpression(filter);
        }
        List<Job> found = new ArrayList<>();
        for (Page<JobItem> page : jobs.index(index).query(query.build())) {
            for (JobItem item : page.items()) {
                if (found.size() >= limit) {
                    return found;
                }
                found.add(JobItems.job(item));
            }
        }
        return found;
    }

    @Override
    public JobPage list(String owner, JobStatus status, String label, String cursor, int limit) {
        QueryEnhancedRequest.Builder query = QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(owner)))
                .scanIndexForward(false)
                .limit(limit);
        List<String> conditions = new ArrayList<>();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        if (status != null) {
            conditions.add("#status = :status");
            names.put("#status", "status");
            values.put(":status", AttributeValue.fromS(status.name()));
        }
        if (label != null) {
            int colon = label.indexOf(':');
            conditions.add("#labels.#labelKey = :labelValue");
            names.put("#labels", "labels");
            names.put("#labelKey", colon < 0 ? label : label.substring(0, colon));
            values.put(":labelValue", AttributeValue.fromS(colon < 0 ? "" : label.substring(colon + 1)));
        }
        if (!conditions.isEmpty()) {
            query.filterExpression(Expression.builder().expression(String.join(" AND ", conditions))
                    .expressionNames(names).expressionValues(values).build());
        }
        if (cursor != null) {
            query.exclusiveStartKey(decodeCursor(cursor));
        }
        Page<JobItem> page = jobs.index(JobTableSchemas.OWNER_INDEX).query(query.build()).iterator().next();
        return new JobPage(page.items().stream().map(JobItems::summary).toList(),
                page.lastEvaluatedKey() == null ? null : encodeCursor(page.lastEvaluatedKey()));
    }

    /** One transaction, tried again while it only lost to a concurrent transaction on the same items. */
    private void transact(List<TransactWriteItem> writes) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.transactWriteItems(b -> b.transactItems(writes));
                return;
            } catch (TransactionCanceledException e) {
                boolean conflict = e.cancellationReasons().stream().anyMatch(r -> CONFLICT.equals(r.code()));
                if (!conflict || failedCondition(e, -1) || attempt > CONFLICT_RETRIES) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /** Whether the transaction failed on the condition of write {@code index} (-1: any write). */
    private static boolean failedCondition(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        for (int i = 0; i < reasons.size(); i++) {
            if ((index < 0 || i == index) && CONDITION_FAILED.equals(reasons.get(i).code())) {
                return true;
            }
        }
        return false;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
        }
    }

    private TransactWriteItem versioned(Job next) {
        return TransactWriteItem.builder().put(put(next, next.version() + 1).conditionExpression("version = :version")
                .expressionAttributeValues(Map.of(":version", number(next.version()))).build()).build();
    }

    private Put.Builder put(Job job, long version) {
        return Put.builder().tableName(table).item(itemMap(job, version));
    }

    private Map<String, AttributeValue> itemMap(Job job, long version) {
        return JobTableSchemas.JOB.itemToMap(JobItems.item(job, version, retention), true);
    }

    private static Key key(String jobId) {
        return Key.builder().partitionValue(JobItems.JOB_PREFIX + jobId).build();
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(String.valueOf(value));
    }

    /** The owner index's last key (pk, owner, jobId) as an opaque string. */
    private static String encodeCursor(Map<String, AttributeValue> key) {
        String joined = key.get("pk").s() + "\n" + key.get("owner").s() + "\n" + key.get("jobId").s();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(joined.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, AttributeValue> decodeCursor(String cursor) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 3) {
            throw new InvalidJobRequestException("CURSOR_INVALID", "the cursor is not one this API gave out");
        }
        return Map.of("pk", AttributeValue.fromS(parts[0]), "owner", AttributeValue.fromS(parts[1]),
                "jobId", AttributeValue.fromS(parts[2]));
    }
}
