package dev.e2bjobs.dynamodb;

import java.util.List;

/**
 * A cached environment as stored, key {@code pk = ENV#<environment id>}. It sits in the active index's
 * {@value #ACTIVE_PARTITION} partition (sorted by id, kept in {@code jobId}), apart from the jobs, so
 * that the sweep reads every environment in one Query. Mapped by {@link JobTableSchemas#ENVIRONMENT}.
 */
public class EnvironmentItem {
    static final String ACTIVE_PARTITION = "ENVIRONMENT";

    public String pk;
    public String jobId;
    public String activeKey;
    public String scope;
    public String template;
    public List<String> requirements;
    public Boolean egressAnywhere;
    public List<String> egressHosts;
    public String state;
    public String snapshotId;
    public String builderSandboxId;
    public String builderToken;
    public String builderDomain;
    public String frozen;
    public Long sizeBytes;
    public String buildLog;
    public Long createdAt;
    public Long lastUsedAt;
    public Long hits;
    public Long leaseUntil;
    public Long retryAt;
    public Integer failures;
}
