package dev.e2bjobs.ops;

import dev.e2bjobs.job.CallbackDelivery;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobEvents;
import dev.e2bjobs.ops.EmfLine.Unit;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Job events as operators see them: one log line per lifecycle event, carrying the job's ids in the
 * MDC ({@code jobId}, {@code owner}, {@code sandboxId}, {@code requestId}) and the event's own fields
 * ({@code event}, durations in ms, status, error code), plus an EMF document of its metrics. Only
 * ids, statuses, codes and durations: never a job's files, command, environment, output or error text.
 */
@Singleton
public class LoggedJobEvents implements JobEvents {
    private static final Logger LOG = Logger.getLogger(LoggedJobEvents.class);
    public static final String EVENT = "event";

    private final Metrics metrics;

    LoggedJobEvents(Metrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Scope about(Job job) {
        LogContext.Restore restore = LogContext.put(ids(job));
        return restore::close;
    }

    @Override
    public void queued(Job job) {
        log(job, "queued", Map.of(), "job %s queued", job.jobId());
        metrics.emit(metrics.line().property("jobId", job.jobId()).metric("JobsQueued", Unit.COUNT, 1));
    }

    @Override
    public void started(Job running) {
        long waitMs = millis(running.createdAt(), running.startedAt());
        String sandboxId = running.sandbox() == null ? null : running.sandbox().sandboxId();
        log(running, "launched", Map.of("queueWaitMs", String.valueOf(waitMs)), "job %s launched in sandbox %s after %d ms in the queue",
                running.jobId(), sandboxId, waitMs);
        metrics.emit(metrics.line().property("jobId", running.jobId()).property("sandboxId", sandboxId)
                .metric("JobsLaunched", Unit.COUNT, 1).metric("QueueWait", Unit.MILLISECONDS, waitMs));
    }

    @Override
    public void ended(Job ended) {
        String status = ended.status().name();
        String code = ended.error() == null ? "NONE" : ended.error().code();
        Long runMs = ended.startedAt() == null ? null : millis(ended.startedAt(), ended.finishedAt());
        long totalMs = millis(ended.createdAt(), ended.finishedAt());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("status", status);
        fields.put("errorCode", code);
        fields.put("runMs", runMs == null ? null : String.valueOf(runMs));
        fields.put("totalMs", String.valueOf(totalMs));
        log(ended, "finished", fields, "job %s finished: %s (error code %s, ran %s ms, %d ms in all)", ended.jobId(), status, code,
                runMs == null ? "0" : runMs, totalMs);
        EmfLine line = metrics.line().dimension("status", status).dimension("errorCode", code).property("jobId", ended.jobId())
                .metric("JobsEnded", Unit.COUNT, 1, "status", "errorCode").metric("TotalTime", Unit.MILLISECONDS, totalMs);
        if (runMs != null) {
            line.metric("RunTime", Unit.MILLISECONDS, runMs);
        }
        metrics.emit(line);
    }

    @Override
    public void callback(Job job, CallbackDelivery settled) {
        boolean delivered = settled.state() == CallbackDelivery.State.DELIVERED;
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("attempts", String.valueOf(settled.attempts()));
        fields.put("httpStatus", settled.lastStatus() == null ? null : String.valueOf(settled.lastStatus()));
        log(job, delivered ? "callback-delivered" : "callback-failed", fields, "job %s: callback %s after %d attempt(s)", job.jobId(),
                delivered ? "delivered" : "failed", settled.attempts());
        metrics.emit(metrics.line().property("jobId", job.jobId())
                .metric(delivered ? "WebhooksDelivered" : "WebhookFailures", Unit.COUNT, 1));
    }

    @Override
    public void orphanReaped(String sandboxId, String jobId, String why) {
        Map<String, String> ids = new HashMap<>();
        ids.put(LogContext.JOB_ID, jobId);
        ids.put(LogContext.SANDBOX_ID, sandboxId);
        ids.put(EVENT, "orphan-reaped");
        try (LogContext.Restore restore = LogContext.put(ids)) {
            LOG.infof("sandbox %s of job %s reaped (%s)", sandboxId, jobId, why);
        }
        metrics.emit(metrics.line().property("jobId", jobId).property("sandboxId", sandboxId).metric("OrphansReaped", Unit.COUNT, 1));
    }

    @Override
    public void slots(int held, int cap) {
        metrics.emit(metrics.line().metric("SlotsHeld", Unit.COUNT, held).metric("SlotCap", Unit.COUNT, cap)
                .metric("SlotUsage", Unit.PERCENT, cap <= 0 ? 0 : Math.round(100.0 * held / cap)));
    }

    @Override
    public void oldestQueued(Duration age) {
        metrics.emit(metrics.line().metric("OldestQueuedAge", Unit.SECONDS, age.toSeconds()));
    }

    /** One event's line: the job's ids and the event's fields in the MDC for that line only. */
    private static void log(Job job, String event, Map<String, String> fields, String format, Object... args) {
        Map<String, String> values = ids(job);
        values.put(EVENT, event);
        values.putAll(fields);
        try (LogContext.Restore restore = LogContext.put(values)) {
            LOG.infof(format, args);
        }
    }

    private static Map<String, String> ids(Job job) {
        Map<String, String> ids = new HashMap<>();
        ids.put(LogContext.JOB_ID, job.jobId());
        ids.put(LogContext.OWNER, job.owner());
        ids.put(LogContext.SANDBOX_ID, job.sandbox() == null ? null : job.sandbox().sandboxId());
        return ids;
    }

    private static long millis(Instant from, Instant to) {
        return from == null || to == null ? 0 : Math.max(0, Duration.between(from, to).toMillis());
    }
}
