package dev.e2bjobs.dynamodb;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.job.CallbackDelivery;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobEnvironment;
import dev.e2bjobs.job.JobError;
import dev.e2bjobs.job.JobOutput;
import dev.e2bjobs.job.JobStatus;
import dev.e2bjobs.job.JobSummary;
import dev.e2bjobs.job.LaunchBackoff;
import dev.e2bjobs.job.OutputTail;
import dev.e2bjobs.sandbox.SandboxRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.SdkBytes;

/** Jobs to stored items and back: the one place that knows the stored form. */
final class JobItems {
    static final String JOB_PREFIX = "JOB#";
    private static final String QUEUED = "QUEUED";
    private static final String ACTIVE = "ACTIVE";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<StoredResult>> RESULTS = new TypeReference<>() { };

    private JobItems() {
    }

    /** The item of {@code job} as it is to be stored at {@code version}, kept for {@code retention} after it ends. */
    static JobItem item(Job job, long version, Duration retention) {
        JobItem item = new JobItem();
        item.setPk(JOB_PREFIX + job.jobId());
        item.setJobId(job.jobId());
        item.setOwner(job.owner());
        item.setStatus(job.status().name());
        item.setCreatedAt(job.createdAt().toString());
        item.setQueuedKey(job.status() == JobStatus.QUEUED ? QUEUED : null);
        boolean holding = job.status() == JobStatus.STARTING || job.status() == JobStatus.RUNNING || job.slotHeld();
        item.setActiveKey(holding ? ACTIVE : null);
        if (job.sandbox() != null) {
            item.setSandboxId(job.sandbox().sandboxId());
            item.setSandboxToken(job.sandbox().accessToken());
            item.setSandboxDomain(job.sandbox().domain());
        }
        if (job.environment() != null) {
            item.setEnvironmentId(job.environment().id());
            item.setEnvironmentCached(job.environment().cached());
        }
        item.setRunnerPid(job.runnerPid());
        item.setSlotHeld(job.slotHeld());
        item.setLaunchFailures(job.backoff().failures());
        item.setFirstLaunchFailureAt(millis(job.backoff().firstFailureAt()));
        item.setNotBefore(millis(job.backoff().notBefore()));
        item.setStartedAt(text(job.startedAt()));
        item.setDeadline(text(job.deadline()));
        item.setFinishedAt(text(job.finishedAt()));
        JobOutput output = job.output();
        item.setExitCode(output.exitCode());
        if (output.stdout() != null) {
            item.setStdout(output.stdout().text());
            item.setStdoutTruncated(output.stdout().truncated());
        }
        if (output.stderr() != null) {
            item.setStderr(output.stderr().text());
            item.setStderrTruncated(output.stderr().truncated());
        }
        item.setSpec(gzipJson(StoredSpec.of(job.spec())));
        item.setResults(output.results().isEmpty() ? null : gzipJson(output.results().stream().map(StoredResult::of).toList()));
        if (job.error() != null) {
            item.setErrorCode(job.error().code());
            item.setErrorMessage(job.error().message());
        }
        item.setLabels(job.spec().labels().isEmpty() ? null : job.spec().labels());
        if (job.callback() != null) {
            item.setCallbackState(job.callback().state().name());
            item.setCallbackAttempts(job.callback().attempts());
            item.setCallbackStatus(job.callback().lastStatus());
            item.setCallbackError(job.callback().lastError());
            item.setCallbackAt(text(job.callback().lastAttemptAt()));
        }
        item.setVersion(version);
        Instant keepFrom = job.finishedAt() != null ? job.finishedAt() : job.createdAt();
        item.setExpiresAt(keepFrom.plus(retention).getEpochSecond());
        return item;
    }

    static Job job(JobItem item) {
        SandboxRef sandbox = item.getSandboxId() == null ? null
                : new SandboxRef(item.getSandboxId(), item.getSandboxToken(), item.getSandboxDomain());
        JobEnvironment environment = item.getEnvironmentId() == null ? null
                : new JobEnvironment(item.getEnvironmentId(), Boolean.TRUE.equals(item.getEnvironmentCached()));
        LaunchBackoff backoff = new LaunchBackoff(item.getLaunchFailures() == null ? 0 : item.getLaunchFailures(),
                instant(item.getFirstLaunchFailureAt()), instant(item.getNotBefore()));
        List<StoredResult> results = item.getResults() == null ? List.of() : fromGzipJson(item.getResults(), RESULTS);
        JobOutput output = new JobOutput(item.getExitCode(), tail(item.getStdout(), item.getStdoutTruncated()),
                tail(item.getStderr(), item.getStderrTruncated()), results.stream().map(StoredResult::toResult).toList());
        return new Job(item.getJobId(), item.getOwner(), JobStatus.valueOf(item.getStatus()),
                fromGzipJson(item.getSpec(), new TypeReference<StoredSpec>() { }).toSpec(), Instant.parse(item.getCreatedAt()), sandbox,
                environment, item.getRunnerPid(), Boolean.TRUE.equals(item.getSlotHeld()), backoff, instant(item.getStartedAt()), instant(item.getDeadline()),
                instant(item.getFinishedAt()), output, error(item), callback(item), item.getVersion());
    }

    /** From the owner index, which carries only the summary attributes. */
    static JobSummary summary(JobItem item) {
        return new JobSummary(item.getJobId(), JobStatus.valueOf(item.getStatus()),
                item.getLabels() == null ? java.util.Map.of() : item.getLabels(), Instant.parse(item.getCreatedAt()),
                instant(item.getStartedAt()), instant(item.getFinishedAt()), item.getExitCode(), error(item));
    }

    private static CallbackDelivery callback(JobItem item) {
        return item.getCallbackState() == null ? null : new CallbackDelivery(CallbackDelivery.State.valueOf(item.getCallbackState()),
                item.getCallbackAttempts(), item.getCallbackStatus(), item.getCallbackError(), instant(item.getCallbackAt()));
    }

    private static JobError error(JobItem item) {
        return item.getErrorCode() == null ? null : new JobError(item.getErrorCode(), item.getErrorMessage());
    }

    private static OutputTail tail(String text, Boolean truncated) {
        return text == null ? null : new OutputTail(text, Boolean.TRUE.equals(truncated));
    }

    private static SdkBytes gzipJson(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            JSON.writeValue(gzip, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return SdkBytes.fromByteArrayUnsafe(bytes.toByteArray());
    }

    private static <T> T fromGzipJson(SdkBytes bytes, TypeReference<T> type) {
        try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(bytes.asByteArrayUnsafe()))) {
            return JSON.readValue(gzip, type);
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

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static Instant instant(Long millis) {
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }
}
