package dev.e2bjobs.ops;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import org.jboss.logging.MDC;

/**
 * The ids on a log line (MDC): the Lambda request id (Quarkus' poll loop sets {@value #AWS_REQUEST_ID}
 * on the invocation's thread; we log it as {@value #REQUEST_ID}), and the job, owner and sandbox of
 * the work under way.
 */
public final class LogContext {
    /** Where Quarkus' Lambda poll loop keeps the invocation's request id. */
    public static final String AWS_REQUEST_ID = "AWSRequestId";
    public static final String REQUEST_ID = "requestId";
    public static final String JOB_ID = "jobId";
    public static final String OWNER = "owner";
    public static final String SANDBOX_ID = "sandboxId";

    private LogContext() {
    }

    /** Sets {@code values} (a null value removes the key) until the returned scope closes, which restores what was there. */
    public static Restore put(Map<String, String> values) {
        Map<String, Object> before = new HashMap<>();
        values.forEach((key, value) -> {
            before.put(key, MDC.get(key));
            set(key, value);
        });
        String requestId = requestId();
        if (requestId != null) {
            before.putIfAbsent(REQUEST_ID, MDC.get(REQUEST_ID));
            MDC.put(REQUEST_ID, requestId);
        }
        return () -> before.forEach(LogContext::set);
    }

    /** Puts a key, or removes it for a null value. */
    private static void set(String key, Object value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    /** The current Lambda request id, if this thread serves (or was handed work by) an invocation. */
    public static String requestId() {
        Object id = MDC.get(AWS_REQUEST_ID);
        return id == null ? null : id.toString();
    }

    /** Runs tasks with the MDC of the thread that handed them over (the invocation's request id, the job's ids). */
    public static Executor carried(Executor executor) {
        return task -> {
            Map<String, Object> handed = new HashMap<>(MDC.getMap());
            executor.execute(() -> {
                Map<String, Object> own = new HashMap<>(MDC.getMap());
                MDC.clear();
                handed.forEach(MDC::put);
                try {
                    task.run();
                } finally {
                    MDC.clear();
                    own.forEach(MDC::put);
                }
            });
        };
    }

    /** Restores the MDC; closes without throwing. */
    public interface Restore extends AutoCloseable {
        @Override
        void close();
    }
}
