package dev.e2bjobs.dynamodb;

import java.util.List;

/** An Idempotency-Key record, key {@code pk = IDEM#<owner>#<key>}. Mapped by {@link JobTableSchemas#IDEMPOTENCY}. */
public class IdempotencyItem {
    private String pk;
    private String payloadHash;
    private List<String> jobIds;
    private Boolean completed;
    private Long claimUntil;
    private Long expiresAt;

    public String getPk() {
        return pk;
    }

    public void setPk(String pk) {
        this.pk = pk;
    }

    public String getPayloadHash() {
        return payloadHash;
    }

    public void setPayloadHash(String payloadHash) {
        this.payloadHash = payloadHash;
    }

    public List<String> getJobIds() {
        return jobIds;
    }

    public void setJobIds(List<String> jobIds) {
        this.jobIds = jobIds;
    }

    public Boolean getCompleted() {
        return completed;
    }

    public void setCompleted(Boolean completed) {
        this.completed = completed;
    }

    public Long getClaimUntil() {
        return claimUntil;
    }

    public void setClaimUntil(Long claimUntil) {
        this.claimUntil = claimUntil;
    }

    public Long getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(Long expiresAt) {
        this.expiresAt = expiresAt;
    }
}
