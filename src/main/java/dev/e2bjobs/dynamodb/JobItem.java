package dev.e2bjobs.dynamodb;

import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;

/**
 * A job as stored: one item per job, key {@code pk = JOB#<jobId>}. {@code queuedKey} is set only
 * while the job is QUEUED and {@code activeKey} only while it holds or acquires a sandbox slot, which
 * makes the "queued" and "active" indexes sparse (the launcher and the sweep read O(waiting) and
 * O(holding), never history); {@code notBefore} and {@code firstLaunchFailureAt} are epoch millis;
 * {@code spec} and {@code results} are gzipped JSON of {@link StoredSpec} and {@link StoredResult};
 * {@code expiresAt} is the TTL. Mapped by {@link JobTableSchemas#JOB}.
 */
public class JobItem {
    private String pk;
    private String jobId;
    private String owner;
    private String status;
    private String createdAt;
    private String queuedKey;
    private String activeKey;
    private String sandboxId;
    private String sandboxToken;
    private String sandboxDomain;
    private String environmentId;
    private Boolean environmentCached;
    private Long runnerPid;
    private Boolean slotHeld;
    private Integer launchFailures;
    private Long firstLaunchFailureAt;
    private Long notBefore;
    private String startedAt;
    private String deadline;
    private String finishedAt;
    private Integer exitCode;
    private String stdout;
    private Boolean stdoutTruncated;
    private String stderr;
    private Boolean stderrTruncated;
    private SdkBytes spec;
    private SdkBytes results;
    private String errorCode;
    private String errorMessage;
    private Map<String, String> labels;
    private String callbackState;
    private Integer callbackAttempts;
    private Integer callbackStatus;
    private String callbackError;
    private String callbackAt;
    private Long version;
    private Long expiresAt;

    public String getPk() {
        return pk;
    }

    public void setPk(String pk) {
        this.pk = pk;
    }

    public String getJobId() {
        return jobId;
    }

    public void setJobId(String jobId) {
        this.jobId = jobId;
    }

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(String createdAt) {
        this.createdAt = createdAt;
    }

    public String getQueuedKey() {
        return queuedKey;
    }

    public void setQueuedKey(String queuedKey) {
        this.queuedKey = queuedKey;
    }

    public String getActiveKey() {
        return activeKey;
    }

    public void setActiveKey(String activeKey) {
        this.activeKey = activeKey;
    }

    public String getSandboxId() {
        return sandboxId;
    }

    public void setSandboxId(String sandboxId) {
        this.sandboxId = sandboxId;
    }

    public String getSandboxToken() {
        return sandboxToken;
    }

    public void setSandboxToken(String sandboxToken) {
        this.sandboxToken = sandboxToken;
    }

    public String getSandboxDomain() {
        return sandboxDomain;
    }

    public void setSandboxDomain(String sandboxDomain) {
        this.sandboxDomain = sandboxDomain;
    }

    public String getEnvironmentId() {
        return environmentId;
    }

    public void setEnvironmentId(String environmentId) {
        this.environmentId = environmentId;
    }

    public Boolean getEnvironmentCached() {
        return environmentCached;
    }

    public void setEnvironmentCached(Boolean environmentCached) {
        this.environmentCached = environmentCached;
    }

    public Long getRunnerPid() {
        return runnerPid;
    }

    public void setRunnerPid(Long runnerPid) {
        this.runnerPid = runnerPid;
    }

    public Boolean getSlotHeld() {
        return slotHeld;
    }

    public void setSlotHeld(Boolean slotHeld) {
        this.slotHeld = slotHeld;
    }

    public Integer getLaunchFailures() {
        return launchFailures;
    }

    public void setLaunchFailures(Integer launchFailures) {
        this.launchFailures = launchFailures;
    }

    public Long getFirstLaunchFailureAt() {
        return firstLaunchFailureAt;
    }

    public void setFirstLaunchFailureAt(Long firstLaunchFailureAt) {
        this.firstLaunchFailureAt = firstLaunchFailureAt;
    }

    public Long getNotBefore() {
        return notBefore;
    }

    public void setNotBefore(Long notBefore) {
        this.notBefore = notBefore;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(String startedAt) {
        this.startedAt = startedAt;
    }

    public String getDeadline() {
        return deadline;
    }

    public void setDeadline(String deadline) {
        this.deadline = deadline;
    }

    public String getFinishedAt() {
        return finishedAt;
    }

    public void setFinishedAt(String finishedAt) {
        this.finishedAt = finishedAt;
    }

    public Integer getExitCode() {
        return exitCode;
    }

    public void setExitCode(Integer exitCode) {
        this.exitCode = exitCode;
    }

    public String getStdout() {
        return stdout;
    }

    public void setStdout(String stdout) {
        this.stdout = stdout;
    }

    public Boolean getStdoutTruncated() {
        return stdoutTruncated;
    }

    public void setStdoutTruncated(Boolean stdoutTruncated) {
        this.stdoutTruncated = stdoutTruncated;
    }

    public String getStderr() {
        return stderr;
    }

    public void setStderr(String stderr) {
        this.stderr = stderr;
    }

    public Boolean getStderrTruncated() {
        return stderrTruncated;
    }

    public void setStderrTruncated(Boolean stderrTruncated) {
        this.stderrTruncated = stderrTruncated;
    }

    public SdkBytes getSpec() {
        return spec;
    }

    public void setSpec(SdkBytes spec) {
        this.spec = spec;
    }

    public SdkBytes getResults() {
        return results;
    }

    public void setResults(SdkBytes results) {
        this.results = results;
    }

    public String getErrorCode() {
        return errorCode;
    }

    public void setErrorCode(String errorCode) {
        this.errorCode = errorCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    public void setErrorMessage(String errorMessage) {
        this.errorMessage = errorMessage;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Long getVersion() {
        return version;
    }

    public void setVersion(Long version) {
        this.version = version;
    }

    public Long getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(Long expiresAt) {
        this.expiresAt = expiresAt;
    }

    public String getCallbackState() {
        return callbackState;
    }

    public void setCallbackState(String callbackState) {
        this.callbackState = callbackState;
    }

    public Integer getCallbackAttempts() {
        return callbackAttempts;
    }

    public void setCallbackAttempts(Integer callbackAttempts) {
        this.callbackAttempts = callbackAttempts;
    }

    public Integer getCallbackStatus() {
        return callbackStatus;
    }

    public void setCallbackStatus(Integer callbackStatus) {
        this.callbackStatus = callbackStatus;
    }

    public String getCallbackError() {
        return callbackError;
    }

    public void setCallbackError(String callbackError) {
        this.callbackError = callbackError;
    }

    public String getCallbackAt() {
        return callbackAt;
    }

    public void setCallbackAt(String callbackAt) {
        this.callbackAt = callbackAt;
    }
}
