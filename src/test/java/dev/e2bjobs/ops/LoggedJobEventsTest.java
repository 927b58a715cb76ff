package dev.e2bjobs.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.job.CallbackDelivery;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobEvents;
import dev.e2bjobs.job.JobOutput;
import dev.e2bjobs.job.JobSpec;
import dev.e2bjobs.sandbox.SandboxRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One log line per lifecycle event, with the job's ids and the request id in the MDC, and an EMF document of its metrics. */
class LoggedJobEventsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final String SECRET = "s3cr3t-value";
    private static final String COMMAND = "python secret_program.py";

    /** A captured line: its message and the MDC it was logged with. */
    record Line(String message, Map<String, Object> mdc) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final List<String> emf = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            lines.add(new Line(message, new HashMap<>(MDC.getMap())));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger logger = Logger.getLogger(LoggedJobEvents.class.getName());
    private final LoggedJobEvents events = new LoggedJobEvents(new Metrics("test", Clock.fixed(T0, ZoneOffset.UTC), emf::add));

    @BeforeEach
    void capture() {
        logger.addHandler(capture);
        MDC.put(LogContext.AWS_REQUEST_ID, "req-1");
    }

    @AfterEach
    void release() {
        logger.removeHandler(capture);
        MDC.clear();
    }

    private static Job job() {
        JobSpec spec = new JobSpec(List.of(), List.of("sh", "-c", COMMAND), List.of(), Map.of("TOKEN", SECRET), "base", 60, List.of(),
                Map.of(), false, null, null, null);
        return Job.queued("j-1", "ann", spec, T0);
    }

    @Test
    void eachLifecycleEventIsOneLineWithTheJobsIdsAndAnEmfDocument() throws Exception {
        Job queued = job();
        Job running = queued.starting(T0.plusSeconds(200)).withSandbox(new SandboxRef("sb-1", "envd-token", null))
                .running(T0.plusSeconds(3), T0.plusSeconds(100), 7);
        Job failed = running.failed(T0.plusSeconds(10), new dev.e2bjobs.job.JobError("EXIT_NONZERO", "stderr: " + SECRET), JobOutput.NONE);

        events.queued(queued);
        events.started(running);
        events.ended(failed);
        events.callback(failed, new CallbackDelivery(CallbackDelivery.State.FAILED, 3, 500, "the receiver answered 500", T0));
        events.orphanReaped("sb-2", "j-0", "job over");

        assertEquals(List.of("queued", "launched", "finished", "callback-failed", "orphan-reaped"),
                lines.stream().map(line -> line.mdc().get("event")).toList());
        for (Line line : lines.subList(0, 4)) {
            assertEquals("j-1", line.mdc().get("jobId"), line.toString());
            assertEquals("ann", line.mdc().get("owner"), line.toString());
            assertEquals("req-1", line.mdc().get("requestId"), line.toString());
        }
        assertNull(lines.get(0).mdc().get("sandboxId"), "queued: no sandbox yet");
        assertEquals("sb-1", lines.get(1).mdc().get("sandboxId"));
        assertEquals("3000", lines.get(1).mdc().get("queueWaitMs"));
        assertEquals("job j-1 launched in sandbox sb-1 after 3000 ms in the queue", lines.get(1).message());
        assertEquals("FAILED", lines.get(2).mdc().get("status"));
        assertEquals("EXIT_NONZERO", lines.get(2).mdc().get("errorCode"));
        assertEquals("7000", lines.get(2).mdc().get("runMs"));
        assertEquals("10000", lines.get(2).mdc().get("totalMs"));
        assertEquals("sb-2", lines.get(4).mdc().get("sandboxId"));
        assertEquals("j-0", lines.get(4).mdc().get("jobId"));
        for (Line line : lines) {
            assertFalse(line.toString().contains(SECRET) || line.toString().contains("secret_program") || line.toString().contains("envd-token"),
                    line.toString());
        }
        assertEquals(Map.of("AWSRequestId", "req-1"), MDC.getMap(), "each line's ids are gone after it");

        assertEquals(5, emf.size());
        JsonNode ended = JSON.readTree(emf.get(2));
        assertEquals("[[\"deployment\",\"status\",\"errorCode\"]]", ended.at("/_aws/CloudWatchMetrics/0/Dimensions").toString());
        assertEquals("JobsEnded", ended.at("/_aws/CloudWatchMetrics/0/Metrics/0/Name").asText());
        assertEquals("e2b-jobs", ended.at("/_aws/CloudWatchMetrics/0/Namespace").asText());
        assertEquals(T0.toEpochMilli(), ended.at("/_aws/Timestamp").asLong());
        assertEquals("test", ended.path("deployment").asText());
        assertEquals("FAILED", ended.path("status").asText());
        assertEquals("EXIT_NONZERO", ended.path("errorCode").asText());
        assertEquals("j-1", ended.path("jobId").asText());
        assertEquals(1, ended.path("JobsEnded").asInt());
        assertEquals(7000, ended.path("RunTime").asLong());
        assertEquals(10000, ended.path("TotalTime").asLong());
        assertEquals(3000, JSON.readTree(emf.get(1)).path("QueueWait").asLong());
        assertEquals(1, JSON.readTree(emf.get(3)).path("WebhookFailures").asInt());
        assertEquals(1, JSON.readTree(emf.get(4)).path("OrphansReaped").asInt());
        emf.forEach(doc -> assertFalse(doc.contains(SECRET) || doc.contains("secret_program"), doc));
    }

    @Test
    void linesInAJobsScopeCarryItsIdsAlsoOnAThreadTheWorkWasHandedTo() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        List<Map<String, Object>> seen = new ArrayList<>();
        try (JobEvents.Scope scope = events.about(job())) {
            LogContext.carried(pool).execute(() -> seen.add(new HashMap<>(MDC.getMap())));
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
            assertEquals("j-1", MDC.get("jobId"));
        }
        assertEquals("j-1", seen.get(0).get("jobId"));
        assertEquals("req-1", seen.get(0).get("requestId"));
        assertNull(MDC.get("jobId"), "the scope restored the MDC");
    }

    @Test
    void gaugesAreMetricsOnly() throws Exception {
        events.slots(3, 4);
        events.oldestQueued(java.time.Duration.ofSeconds(90));

        assertEquals(List.of(), lines);
        JsonNode slots = JSON.readTree(emf.get(0));
        assertEquals(3, slots.path("SlotsHeld").asInt());
        assertEquals(4, slots.path("SlotCap").asInt());
        assertEquals(75, slots.path("SlotUsage").asInt());
        assertEquals("Seconds", JSON.readTree(emf.get(1)).at("/_aws/CloudWatchMetrics/0/Metrics/0/Unit").asText());
        assertEquals(90, JSON.readTree(emf.get(1)).path("OldestQueuedAge").asInt());
    }
}
