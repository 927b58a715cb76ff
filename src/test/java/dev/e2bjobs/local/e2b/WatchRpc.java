package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.local.e2b.Isolation.SandboxUser;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/** envd's directory watches: the WatchDir stream, and watchers the client polls (CreateWatcher, GetWatcherEvents, RemoveWatcher). */
final class WatchRpc {
    private final ScheduledExecutorService scheduler;

    WatchRpc(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** CreateWatcher, GetWatcherEvents or RemoveWatcher. */
    JsonNode call(String method, JsonNode request, Sandbox sandbox, SandboxUser user) throws IOException {
        ObjectNode response = Json.object();
        switch (method) {
            case "CreateWatcher" -> {
                PolledWatch watch = new PolledWatch(DirWatch.open(sandbox, request, user), scheduler);
                response.put("watcherId", sandbox.watches.keep(watch));
            }
            case "GetWatcherEvents" -> response.putArray("events").addAll(sandbox.watches.polled(watcherId(request)).drain());
            case "RemoveWatcher" -> sandbox.watches.remove(watcherId(request));
            default -> throw new IllegalArgumentException("not a watcher method: " + method);
        }
        return response;
    }

    private static String watcherId(JsonNode request) {
        return request.path("watcherId").asText("");
    }

    /**
     * WatchDir: a start message, then events as they happen and keepalives in silence, until the deadline,
     * the client leaves (seen at the next write) or the sandbox stops. Errors travel in the end-stream envelope.
     */
    void stream(JsonNode request, Sandbox sandbox, SandboxUser user, Exchange ex) throws IOException {
        long keepaliveMillis = ConnectStream.keepaliveMillis(ex.header("Keepalive-Ping-Interval"));
        try (ConnectStream stream = new ConnectStream(ex)) {
            try {
                Instant deadline = ConnectStream.deadline(ex.header("Connect-Timeout-Ms"));
                try (DirWatch watch = DirWatch.open(sandbox, request, user)) {
                    stream.send(message("start", Json.object()));
                    relay(watch, deadline, keepaliveMillis, stream);
                }
            } catch (RpcError e) {
                stream.end(e);
            }
        } catch (IOException clientGone) {
            // the watch closed with the stream
        }
    }

    private static void relay(DirWatch watch, Instant deadline, long keepaliveMillis, ConnectStream stream) throws IOException {
        try {
            while (true) {
                long left = deadline == null ? Long.MAX_VALUE : deadline.toEpochMilli() - System.currentTimeMillis();
                if (left <= 0) {
                    stream.end(new RpcError("deadline_exceeded", "context deadline exceeded"));
                    return;
                }
                List<ObjectNode> events = watch.poll(Math.min(keepaliveMillis, left));
                if (events.isEmpty() && keepaliveMillis < left) {
                    stream.send(message("keepalive", Json.object()));
                }
                for (ObjectNode event : events) {
                    stream.send(message("filesystem", event));
                }
            }
        } catch (ClosedWatchServiceException e) {
            stream.end(new RpcError("unavailable", "the sandbox was stopped"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.end(new RpcError("unavailable", "server shutting down"));
        }
    }

    /** A WatchDirResponse: its oneof sits at the top level ({"start":{}}, {"filesystem":{...}}, {"keepalive":{}}). */
    private static ObjectNode message(String kind, ObjectNode body) {
        ObjectNode message = Json.object();
        message.set(kind, body);
        return message;
    }
}
