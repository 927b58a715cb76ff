package dev.e2bjobs.dynamodb;

/** An Idempotency-Key record, key {@code pk = IDEM#<owner>#<key>}. Mapped by {@link JobTableSchemas#IDEMPOTENCY}. */
public class IdempotencyItem {
    private String pk;
    private String payloadHash;
    private String jobId;
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

    public String getJobId() {
        return jobId;
    }

    public void setJobId(String jobId) {
        this.jobId = jobId;
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
