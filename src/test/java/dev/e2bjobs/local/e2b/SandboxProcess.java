package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One process started through process.Process/Start. It outlives the stream that started it (as in
 * envd), publishes output to whoever is subscribed at the time (output with no subscriber is
 * discarded, as envd does), and keeps its end event so a later Connect can replay it.
 */
final class SandboxProcess {
    /** envd sends output in chunks of at most 32 KiB. */
    private static final int CHUNK = 32 * 1024;

    enum Signal {
        SIGTERM("terminated"), SIGKILL("killed");

        final String description;

        Signal(String description) {
            this.description = description;
        }
    }

    final int pid;
    final JsonNode config;
    final String tag;
    private final Process process;
    private final OutputStream stdin;
    private final List<BlockingQueue<ObjectNode>> subscribers = new CopyOnWriteArrayList<>();
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private volatile ScheduledFuture<?> deadline;
    private volatile Signal killedWith;
    private volatile boolean deadlineExceeded;
    private volatile boolean stdinOpen;
    private final CountDownLatch ended = new CountDownLatch(1);
    private ObjectNode end;
    private Instant endedAt;

    /** Put into the queues of the streams following a process when its sandbox goes away under them. */
    static final ObjectNode DROPPED = Json.object();

    /** A started process and the event queue of the stream that started it. */
    record Started(SandboxProcess process, BlockingQueue<ObjectNode> events) {
    }

    private SandboxProcess(Process process, int pid, JsonNode config, String tag, boolean keepStdin,
            BlockingQueue<ObjectNode> firstSubscriber) throws IOException {
        this.process = process;
        this.pid = pid;
        this.config = config;
        this.tag = tag;
        this.stdin = process.getOutputStream();
        this.stdinOpen = keepStdin;
        if (!keepStdin) {
            stdin.close();
        }
        subscribers.add(firstSubscriber);
        this.stdoutPump = pump(process.getInputStream(), "stdout");
        this.stderrPump = pump(process.getErrorStream(), "stderr");
    }

    /**
     * Starts {@code builder}; with a positive {@code timeoutMillis} the process is killed when it
     * runs that long, as envd does for a request's Connect-Timeout-Ms.
     */
    static Started start(ProcessBuilder builder, SandboxMachine machine, JsonNode config, String tag, boolean keepStdin,
            long timeoutMillis, ScheduledExecutorService scheduler) throws IOException {
        BlockingQueue<ObjectNode> events = new LinkedBlockingQueue<>();
        Process process = builder.start();
        SandboxProcess started = new SandboxProcess(process, machine.sandboxPid(process), config, tag, keepStdin, events);
        if (timeoutMillis > 0) {
            started.deadline = scheduler.schedule(started::expire, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        started.process.onExit().thenRun(started::exited);
        return new Started(started, events);
    }

    private Thread pump(InputStream in, String stream) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[CHUNK];
            try (in) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    ObjectNode output = Json.object().put(stream, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer, n)));
                    publish(eventOf("data", output));
                }
            } catch (IOException e) {
                // the process is gone; its end event says how
            }
        }, "local-e2b-" + stream + "-" + process.pid());
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static ObjectNode eventOf(String kind, ObjectNode content) {
        ObjectNode event = Json.object();
        event.set(kind, content);
        return event;
    }

    ObjectNode startEvent() {
        return eventOf("start", Json.object().put("pid", pid));
    }

    private void publish(ObjectNode event) {
        for (BlockingQueue<ObjectNode> subscriber : subscribers) {
            subscriber.add(event);
        }
    }

    /** Subscribes to live events; a finished process delivers its end event at once. */
    synchronized BlockingQueue<ObjectNode> subscribe() {
        BlockingQueue<ObjectNode> queue = new LinkedBlockingQueue<>();
        if (end != null) {
            queue.add(end);
        } else {
            subscribers.add(queue);
        }
        return queue;
    }

    /** Tells every stream following this process that its sandbox is gone (killed or paused). */
    void dropSubscribers() {
        subscribers.forEach(queue -> queue.add(DROPPED));
    }

    void unsubscribe(BlockingQueue<ObjectNode> queue) {
        subscribers.remove(queue);
    }

    boolean isEnd(ObjectNode event) {
        return event.has("end");
    }

    boolean deadlineExceeded() {
        return deadlineExceeded;
    }

    synchronized boolean running() {
        return end == null;
    }

    synchronized Instant endedAt() {
        return endedAt;
    }

    /** The request's deadline passed: the process is killed, and reported as such. */
    void expire() {
        deadlineExceeded = true;
        kill();
    }

    /** Sends the signal to the process and everything it started. */
    void signal(Signal signal) {
        if (!process.isAlive()) {
            return;
        }
        killedWith = signal;
        if (signal == Signal.SIGKILL) {
            ProcessSignals.killTree(process.toHandle());
        } else {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    /** Kills the process tree and waits (briefly) until its end is recorded. */
    void kill() {
        signal(Signal.SIGKILL);
        try {
            ended.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void sendInput(byte[] bytes) throws IOException {
        if (!stdinOpen) {
            throw new IOException("stdin is closed");
        }
        stdin.write(bytes);
        stdin.flush();
    }

    void closeStdin() throws IOException {
        stdinOpen = false;
        stdin.close();
    }

    private void exited() {
        ScheduledFuture<?> pending = deadline;
        if (pending != null) {
            pending.cancel(false);
        }
        // Output written just before exit is still in the pipes: deliver it before the end event.
        // Children that escaped the process group may hold a pipe open, so the wait is bounded.
        join(stdoutPump);
        join(stderrPump);
        ObjectNode content = Json.object();
        Signal signal = killedWith;
        if (signal != null) {
            String text = "signal: " + signal.description;
            content.put("exitCode", -1).put("status", text).put("error", text);
        } else {
            int code = process.exitValue();
            String text = "exit status " + code;
            if (code != 0) {
                content.put("exitCode", code);
            }
            content.put("exited", true).put("status", text);
            if (code != 0) {
                content.put("error", text);
            }
        }
        ObjectNode endEvent = eventOf("end", content);
        synchronized (this) {
            end = endEvent;
            endedAt = Instant.now();
            publish(endEvent);
            subscribers.clear();
        }
        ended.countDown();
    }

    private static void join(Thread pump) {
        try {
            pump.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
