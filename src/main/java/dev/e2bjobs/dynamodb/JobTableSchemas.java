package dev.e2bjobs.dynamodb;

import java.util.List;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * The table's item schemas, written out statically: no reflection and no runtime-generated
 * lambdas, so they work in a native image and in Quarkus' test class loaders alike.
 */
public final class JobTableSchemas {
    /** QUEUED jobs only (sparse), oldest first: the launcher reads O(waiting). */
    public static final String QUEUED_INDEX = "queued";
    /** Jobs holding or acquiring a sandbox slot only (sparse), oldest first: the sweep reads O(holding). */
    public static final String ACTIVE_INDEX = "active";
    /** An owner's jobs, newest first, summary attributes only: GET /jobs. */
    public static final String OWNER_INDEX = "byOwner";
    /** What the owner index carries besides its keys: a job's summary, and its labels to filter on. */
    public static final List<String> SUMMARY_ATTRIBUTES =
            List.of("status", "labels", "createdAt", "startedAt", "finishedAt", "exitCode", "errorCode", "errorMessage");

    public static final TableSchema<JobItem> JOB = StaticTableSchema.builder(JobItem.class)
            .newItemSupplier(JobItem::new)
            .addAttribute(String.class, a -> a.name("pk").getter(JobItem::getPk).setter(JobItem::setPk).tags(StaticAttributeTags.primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("jobId").getter(JobItem::getJobId).setter(JobItem::setJobId).tags(StaticAttributeTags.secondarySortKey(List.of(QUEUED_INDEX, ACTIVE_INDEX, OWNER_INDEX))))
            .addAttribute(String.class, a -> a.name("owner").getter(JobItem::getOwner).setter(JobItem::setOwner).tags(StaticAttributeTags.secondaryPartitionKey(OWNER_INDEX)))
            .addAttribute(String.class, a -> a.name("status").getter(JobItem::getStatus).setter(JobItem::setStatus))
            .addAttribute(String.class, a -> a.name("createdAt").getter(JobItem::getCreatedAt).setter(JobItem::setCreatedAt))
            .addAttribute(String.class, a -> a.name("queuedKey").getter(JobItem::getQueuedKey).setter(JobItem::setQueuedKey).tags(StaticAttributeTags.secondaryPartitionKey(QUEUED_INDEX)))
            .addAttribute(String.class, a -> a.name("activeKey").getter(JobItem::getActiveKey).setter(JobItem::setActiveKey).tags(StaticAttributeTags.secondaryPartitionKey(ACTIVE_INDEX)))
            .addAttribute(String.class, a -> a.name("sandboxId").getter(JobItem::getSandboxId).setter(JobItem::setSandboxId))
            .addAttribute(String.class, a -> a.name("sandboxToken").getter(JobItem::getSandboxToken).setter(JobItem::setSandboxToken))
            .addAttribute(String.class, a -> a.name("sandboxDomain").getter(JobItem::getSandboxDomain).setter(JobItem::setSandboxDomain))
            .addAttribute(String.class, a -> a.name("environmentId").getter(JobItem::getEnvironmentId).setter(JobItem::setEnvironmentId))
            .addAttribute(Boolean.class, a -> a.name("environmentCached").getter(JobItem::getEnvironmentCached).setter(JobItem::setEnvironmentCached))
            .addAttribute(Long.class, a -> a.name("runnerPid").getter(JobItem::getRunnerPid).setter(JobItem::setRunnerPid))
            .addAttribute(Boolean.class, a -> a.name("slotHeld").getter(JobItem::getSlotHeld).setter(JobItem::setSlotHeld))
            .addAttribute(Integer.class, a -> a.name("launchFailures").getter(JobItem::getLaunchFailures).setter(JobItem::setLaunchFailures))
            .addAttribute(Long.class, a -> a.name("firstLaunchFailureAt").getter(JobItem::getFirstLaunchFailureAt).setter(JobItem::setFirstLaunchFailureAt))
            .addAttribute(Long.class, a -> a.name("notBefore").getter(JobItem::getNotBefore).setter(JobItem::setNotBefore))
            .addAttribute(String.class, a -> a.name("startedAt").getter(JobItem::getStartedAt).setter(JobItem::setStartedAt))
            .addAttribute(String.class, a -> a.name("deadline").getter(JobItem::getDeadline).setter(JobItem::setDeadline))
            .addAttribute(String.class, a -> a.name("finishedAt").getter(JobItem::getFinishedAt).setter(JobItem::setFinishedAt))
            .addAttribute(Integer.class, a -> a.name("exitCode").getter(JobItem::getExitCode).setter(JobItem::setExitCode))
            .addAttribute(String.class, a -> a.name("stdout").getter(JobItem::getStdout).setter(JobItem::setStdout))
            .addAttribute(Boolean.class, a -> a.name("stdoutTruncated").getter(JobItem::getStdoutTruncated).setter(JobItem::setStdoutTruncated))
            .addAttribute(String.class, a -> a.name("stderr").getter(JobItem::getStderr).setter(JobItem::setStderr))
            .addAttribute(Boolean.class, a -> a.name("stderrTruncated").getter(JobItem::getStderrTruncated).setter(JobItem::setStderrTruncated))
            .addAttribute(SdkBytes.class, a -> a.name("spec").getter(JobItem::getSpec).setter(JobItem::setSpec))
            .addAttribute(SdkBytes.class, a -> a.name("results").getter(JobItem::getResults).setter(JobItem::setResults))
            .addAttribute(String.class, a -> a.name("errorCode").getter(JobItem::getErrorCode).setter(JobItem::setErrorCode))
            .addAttribute(String.class, a -> a.name("errorMessage").getter(JobItem::getErrorMessage).setter(JobItem::setErrorMessage))
            .addAttribute(EnhancedType.mapOf(String.class, String.class), a -> a.name("labels").getter(JobItem::getLabels).setter(JobItem::setLabels))
            .addAttribute(String.class, a -> a.name("callbackState").getter(JobItem::getCallbackState).setter(JobItem::setCallbackState))
            .addAttribute(Integer.class, a -> a.name("callbackAttempts").getter(JobItem::getCallbackAttempts).setter(JobItem::setCallbackAttempts))
            .addAttribute(Integer.class, a -> a.name("callbackStatus").getter(JobItem::getCallbackStatus).setter(JobItem::setCallbackStatus))
            .addAttribute(String.class, a -> a.name("callbackError").getter(JobItem::getCallbackError).setter(JobItem::setCallbackError))
            .addAttribute(String.class, a -> a.name("callbackAt").getter(JobItem::getCallbackAt).setter(JobItem::setCallbackAt))
            .addAttribute(Long.class, a -> a.name("version").getter(JobItem::getVersion).setter(JobItem::setVersion))
            .addAttribute(Long.class, a -> a.name("expiresAt").getter(JobItem::getExpiresAt).setter(JobItem::setExpiresAt))
            .build();

    public static final TableSchema<IdempotencyItem> IDEMPOTENCY = StaticTableSchema.builder(IdempotencyItem.class)
            .newItemSupplier(IdempotencyItem::new)
            .addAttribute(String.class, a -> a.name("pk").getter(IdempotencyItem::getPk).setter(IdempotencyItem::setPk)
                    .tags(StaticAttributeTags.primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("payloadHash").getter(IdempotencyItem::getPayloadHash).setter(IdempotencyItem::setPayloadHash))
            .addAttribute(EnhancedType.listOf(String.class), a -> a.name("jobIds").getter(IdempotencyItem::getJobIds).setter(IdempotencyItem::setJobIds))
            .addAttribute(Boolean.class, a -> a.name("completed").getter(IdempotencyItem::getCompleted).setter(IdempotencyItem::setCompleted))
            .addAttribute(Long.class, a -> a.name("claimUntil").getter(IdempotencyItem::getClaimUntil).setter(IdempotencyItem::setClaimUntil))
            .addAttribute(Long.class, a -> a.name("expiresAt").getter(IdempotencyItem::getExpiresAt).setter(IdempotencyItem::setExpiresAt))
            .build();

    public static final TableSchema<EnvironmentItem> ENVIRONMENT = StaticTableSchema.builder(EnvironmentItem.class)
            .newItemSupplier(EnvironmentItem::new)
            .addAttribute(String.class, a -> a.name("pk").getter(i -> i.pk).setter((i, v) -> i.pk = v).tags(StaticAttributeTags.primaryPartitionKey()))
            .addAttribute(String.class, a -> a.name("jobId").getter(i -> i.jobId).setter((i, v) -> i.jobId = v).tags(StaticAttributeTags.secondarySortKey(ACTIVE_INDEX)))
            .addAttribute(String.class, a -> a.name("activeKey").getter(i -> i.activeKey).setter((i, v) -> i.activeKey = v).tags(StaticAttributeTags.secondaryPartitionKey(ACTIVE_INDEX)))
            .addAttribute(String.class, a -> a.name("scope").getter(i -> i.scope).setter((i, v) -> i.scope = v))
            .addAttribute(String.class, a -> a.name("template").getter(i -> i.template).setter((i, v) -> i.template = v))
            .addAttribute(EnhancedType.listOf(String.class), a -> a.name("requirements").getter(i -> i.requirements).setter((i, v) -> i.requirements = v))
            .addAttribute(Boolean.class, a -> a.name("egressAnywhere").getter(i -> i.egressAnywhere).setter((i, v) -> i.egressAnywhere = v))
            .addAttribute(EnhancedType.listOf(String.class), a -> a.name("egressHosts").getter(i -> i.egressHosts).setter((i, v) -> i.egressHosts = v))
            .addAttribute(String.class, a -> a.name("state").getter(i -> i.state).setter((i, v) -> i.state = v))
            .addAttribute(String.class, a -> a.name("snapshotId").getter(i -> i.snapshotId).setter((i, v) -> i.snapshotId = v))
            .addAttribute(String.class, a -> a.name("builderSandboxId").getter(i -> i.builderSandboxId).setter((i, v) -> i.builderSandboxId = v))
            .addAttribute(String.class, a -> a.name("builderToken").getter(i -> i.builderToken).setter((i, v) -> i.builderToken = v))
            .addAttribute(String.class, a -> a.name("builderDomain").getter(i -> i.builderDomain).setter((i, v) -> i.builderDomain = v))
            .addAttribute(String.class, a -> a.name("frozen").getter(i -> i.frozen).setter((i, v) -> i.frozen = v))
            .addAttribute(Long.class, a -> a.name("sizeBytes").getter(i -> i.sizeBytes).setter((i, v) -> i.sizeBytes = v))
            .addAttribute(String.class, a -> a.name("buildLog").getter(i -> i.buildLog).setter((i, v) -> i.buildLog = v))
            .addAttribute(Long.class, a -> a.name("createdAt").getter(i -> i.createdAt).setter((i, v) -> i.createdAt = v))
            .addAttribute(Long.class, a -> a.name("lastUsedAt").getter(i -> i.lastUsedAt).setter((i, v) -> i.lastUsedAt = v))
            .addAttribute(Long.class, a -> a.name("hits").getter(i -> i.hits).setter((i, v) -> i.hits = v))
            .addAttribute(Long.class, a -> a.name("leaseUntil").getter(i -> i.leaseUntil).setter((i, v) -> i.leaseUntil = v))
            .addAttribute(Long.class, a -> a.name("retryAt").getter(i -> i.retryAt).setter((i, v) -> i.retryAt = v))
            .addAttribute(Integer.class, a -> a.name("failures").getter(i -> i.failures).setter((i, v) -> i.failures = v))
            .build();

    private JobTableSchemas() {
    }
}
