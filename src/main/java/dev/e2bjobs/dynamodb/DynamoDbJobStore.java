package dev.e2bjobs.dynamodb;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.job.ConcurrentUpdateException;
import dev.e2bjobs.job.IdempotencyRecord;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobError;
import dev.e2bjobs.job.JobSpec;
import dev.e2bjobs.job.JobStatus;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.job.OutputTail;
import dev.e2bjobs.job.ResultFile;
import dev.e2bjobs.sandbox.SandboxRef;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Jobs and idempotency records in one DynamoDB table through the Enhanced Client. Job writes are
 * conditional on the version attribute (VersionedRecordExtension); idempotency claims follow
 * Powertools' conditional-put protocol.
 */
@ApplicationScoped
public class DynamoDbJobStore implements JobStore {
    private static final String ACTIVE = "ACTIVE";
    private static final String JOB_PREFIX = "JOB#";
    private static final String IDEMPOTENCY_PREFIX = "IDEM#";

    private final DynamoDbTable<JobItem> jobs;
    private final DynamoDbTable<IdempotencyItem> keys;
    private final ObjectMapper json;
    private final AppConfig.Jobs settings;
    private final Clock clock;

    DynamoDbJobStore(DynamoDbEnhancedClient client, AppConfig config, ObjectMapper json, Clock clock) {
        this.jobs = client.table(config.dynamodb().table(), JobTableSchemas.JOB);
        this.keys = client.table(config.dynamodb().table(), JobTableSchemas.IDEMPOTENCY);
        this.json = json;
        this.settings = config.jobs();
        this.clock = clock;
    }

    @Override
    public Job create(Job job) {
        JobItem item = item(job);
        item.setVersion(null); // new: the extension writes version 1 on condition the item does not exist
        try {
            jobs.putItem(item);
        } catch (ConditionalCheckFailedException e) {
            throw new ConcurrentUpdateException(job.jobId(), e);
        }
        return job.with(b -> b.version = 1);
    }

    @Override
    public Optional<Job> find(String jobId) {
        return Optional.ofNullable(jobs.getItem(Key.builder().partitionValue(JOB_PREFIX + jobId).build())).map(this::job);
    }

    @Override
    public Job update(Job next) {
        try {
            jobs.putItem(item(next));
        } catch (ConditionalCheckFailedException e) {
            throw new ConcurrentUpdateException(next.jobId(), e);
        }
        return next.with(b -> b.version = next.version() + 1);
    }

    @Override
    public List<Job> active(int limit) {
        List<Job> result = new ArrayList<>();
        for (Page<JobItem> page : jobs.index(JobTableSchemas.ACTIVE_INDEX)
                .query(QueryEnhancedRequest.builder()
                        .queryConditional(QueryConditional.keyEqualTo(k -> k.partitionValue(ACTIVE)))
                        .limit(Math.min(limit, 100))
                        .build())) {
            for (JobItem item : page.items()) {
                if (result.size() >= limit) {
                    return result;
                }
                result.add(job(item));
            }
        }
        return result;
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
        List<Job> found = page.items().stream().map(this::job).toList();
        return new JobPage(found, page.lastEvaluatedKey() == null ? null : encodeCursor(page.lastEvaluatedKey()));
    }

    @Override
    public Optional<IdempotencyRecord> claim(IdempotencyRecord record) {
        IdempotencyItem item = idempotencyItem(record);
        Expression freeOrAbandoned = Expression.builder()
                .expression("attribute_not_exists(pk) OR (#completed = :false AND #claimUntil < :now)")
                .expressionNames(Map.of("#completed", "completed", "#claimUntil", "claimUntil"))
                .expressionValues(Map.of(":false", AttributeValue.fromBool(false),
                        ":now", AttributeValue.fromN(String.valueOf(clock.millis()))))
                .build();
        try {
            keys.putItem(PutItemEnhancedRequest.builder(IdempotencyItem.class).item(item).conditionExpression(freeOrAbandoned).build());
            return Optional.empty();
        } catch (ConditionalCheckFailedException taken) {
            IdempotencyItem existing = keys.getItem(Key.builder().partitionValue(item.getPk()).build());
            if (existing == null) {
                return claim(record); // expired and deleted in between
            }
            return Optional.of(new IdempotencyRecord(record.owner(), record.key(), existing.getPayloadHash(), existing.getJobId(),
                    Boolean.TRUE.equals(existing.getCompleted()), Instant.ofEpochMilli(existing.getClaimUntil()),
                    Instant.ofEpochSecond(existing.getExpiresAt())));
        }
    }

    @Override
    public void complete(IdempotencyRecord record) {
        IdempotencyItem item = idempotencyItem(record);
        item.setCompleted(true);
        keys.putItem(item);
    }

    @Override
    public void release(IdempotencyRecord record) {
        keys.deleteItem(Key.builder().partitionValue(idempotencyPk(record)).build());
    }

    private IdempotencyItem idempotencyItem(IdempotencyRecord record) {
        IdempotencyItem item = new IdempotencyItem();
        item.setPk(idempotencyPk(record));
        item.setPayloadHash(record.payloadHash());
        item.setJobId(record.jobId());
        item.setCompleted(record.completed());
        item.setClaimUntil(record.claimUntil().toEpochMilli());
        item.setExpiresAt(record.expiresAt().getEpochSecond());
        return item;
    }

    private static String idempotencyPk(IdempotencyRecord record) {
        return IDEMPOTENCY_PREFIX + record.owner() + "#" + record.key();
    }

    private JobItem item(Job job) {
        JobItem item = new JobItem();
        item.setPk(JOB_PREFIX + job.jobId());
        item.setJobId(job.jobId());
        item.setOwner(job.owner());
        item.setStatus(job.status().name());
        item.setCreatedAt(job.createdAt().toString());
        item.setActiveKey(job.status().isTerminal() ? null : ACTIVE);
        item.setCreatedSort(job.createdAt() + "#" + job.jobId());
        if (job.sandbox() != null) {
            item.setSandboxId(job.sandbox().sandboxId());
            item.setSandboxToken(job.sandbox().accessToken());
            item.setSandboxDomain(job.sandbox().domain());
        }
        item.setStartedAt(text(job.startedAt()));
        item.setDeadline(text(job.deadline()));
        item.setFinishedAt(text(job.finishedAt()));
        item.setExitCode(job.exitCode());
        if (job.stdout() != null) {
            item.setStdout(job.stdout().text());
            item.setStdoutTruncated(job.stdout().truncated());
        }
        if (job.stderr() != null) {
            item.setStderr(job.stderr().text());
            item.setStderrTruncated(job.stderr().truncated());
        }
        item.setSpec(gzipJson(job.spec()));
        item.setResults(job.results().isEmpty() ? null : gzipJson(job.results()));
        if (job.error() != null) {
            item.setErrorCode(job.error().code());
            item.setErrorMessage(job.error().message());
        }
        item.setLabels(job.spec().labels().isEmpty() ? null : job.spec().labels());
        item.setVersion(job.version());
        Instant keepUntil = (job.finishedAt() != null ? job.finishedAt() : job.createdAt()).plus(settings.retention());
        item.setExpiresAt(keepUntil.getEpochSecond());
        return item;
    }

    private Job job(JobItem item) {
        SandboxRef sandbox = item.getSandboxId() == null ? null
                : new SandboxRef(item.getSandboxId(), item.getSandboxToken(), item.getSandboxDomain());
        List<ResultFile> results = item.getResults() == null ? List.of()
                : fromGzipJson(item.getResults(), new TypeReference<List<ResultFile>>() { });
        return new Job(item.getJobId(), item.getOwner(), JobStatus.valueOf(item.getStatus()),
                fromGzipJson(item.getSpec(), new TypeReference<JobSpec>() { }), Instant.parse(item.getCreatedAt()), sandbox,
                instant(item.getStartedAt()), instant(item.getDeadline()), instant(item.getFinishedAt()), item.getExitCode(),
                item.getStdout() == null ? null : new OutputTail(item.getStdout(), Boolean.TRUE.equals(item.getStdoutTruncated())),
                item.getStderr() == null ? null : new OutputTail(item.getStderr(), Boolean.TRUE.equals(item.getStderrTruncated())),
                results, item.getErrorCode() == null ? null : new JobError(item.getErrorCode(), item.getErrorMessage()),
                item.getVersion());
    }

    private SdkBytes gzipJson(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            json.writeValue(gzip, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SdkBytes.fromByteArray(bytes.toByteArray());
    }

    private <T> T fromGzipJson(SdkBytes bytes, TypeReference<T> type) {
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(bytes.asByteArray()))) {
            return json.readValue(gzip, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    /** The owner index's last key (pk, owner, createdSort) as an opaque string. */
    private static String encodeCursor(Map<String, AttributeValue> key) {
        String joined = key.get("pk").s() + "\n" + key.get("owner").s() + "\n" + key.get("createdSort").s();
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
            throw dev.e2bjobs.job.JobRejectedException.invalid("CURSOR_INVALID", "the cursor is not one this API gave out");
        }
        return Map.of("pk", AttributeValue.fromS(parts[0]), "owner", AttributeValue.fromS(parts[1]),
                "createdSort", AttributeValue.fromS(parts[2]));
    }
}
