package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.ClosedWatchServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A watch the client polls (CreateWatcher, then GetWatcherEvents): taken every 50 ms into a buffer, so
 * that new subdirectories are watched as promptly as by envd's goroutine, and the kernel's queue never
 * overflows between the client's polls.
 */
final class PolledWatch {
    private static final long TAKE_EVERY_MILLIS = 50;
    private final DirWatch watch;
    private final List<ObjectNode> pending = new ArrayList<>();
    private final ScheduledFuture<?> taking;

    PolledWatch(DirWatch watch, ScheduledExecutorService scheduler) {
        this.watch = watch;
        this.taking = scheduler.scheduleWithFixedDelay(this::take, TAKE_EVERY_MILLIS, TAKE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void take() {
        try {
            List<ObjectNode> events = watch.poll(0);
            synchronized (this) {
                pending.addAll(events);
            }
        } catch (ClosedWatchServiceException closing) {
            // close() cancels the task
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The events since the last call, oldest first. */
    synchronized List<ObjectNode> drain() {
        List<ObjectNode> events = List.copyOf(pending);
        pending.clear();
        return events;
    }

    void close() {
        taking.cancel(false);
        watch.close();
    }
}
