package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.local.e2b.Isolation.SandboxUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** envd's process.Process service: Start and Connect streams, List, SendSignal, SendInput, CloseStdin, Update. */
final class ProcessRpc {
    private final Sandboxes sandboxes;

    ProcessRpc(Sandboxes sandboxes) {
        this.sandboxes = sandboxes;
    }

    JsonNode call(String method, JsonNode request, Sandbox sandbox) throws IOException {
        return switch (method) {
            case "List" -> list(sandbox);
            case "SendSignal" -> {
                SandboxProcess process = running(sandbox, request);
                process.signal(signal(request.path("signal")));
                yield Json.object();
            }
            case "SendInput" -> {
                SandboxProcess process = running(sandbox, request);
                JsonNode input = request.path("input");
                String data = input.has("stdin") ? input.path("stdin").asText() : input.path("pty").asText("");
                try {
                    process.sendInput(Base64.getDecoder().decode(data));
                } catch (IOException e) {
                    throw new RpcError("failed_precondition", "cannot write to stdin of process " + process.pid + ": " + e.getMessage());
                }
                yield Json.object();
            }
            case "CloseStdin" -> {
                running(sandbox, request).closeStdin();
                yield Json.object();
            }
            case "Update" -> {
                running(sandbox, request);
                yield Json.object();
            }
            default -> throw new RpcError("unimplemented", "process.Process/" + method + " is not supported by the local E2B server");
        };
    }

    /** Runs a server stream; errors after the headers travel in the end-stream envelope, as connect-go does. */
    void stream(String method, JsonNode request, Sandbox sandbox, SandboxUser user, Exchange ex) throws IOException {
        long keepaliveMillis = ConnectStream.keepaliveMillis(ex.header("Keepalive-Ping-Interval"));
        try (ConnectStream stream = new ConnectStream(ex)) {
            try {
                Instant deadline = ConnectStream.deadline(ex.header("Connect-Timeout-Ms"));
                if (method.equals("Start")) {
                    start(request, sandbox, user, deadline, keepaliveMillis, stream);
                } else {
                    connect(request, sandbox, deadline, keepaliveMillis, stream);
                }
            } catch (RpcError e) {
                stream.end(e);
            }
        } catch (IOException e) {
            // the client went away; the process (if any) keeps running, as in envd
        }
    }

    private void start(JsonNode request, Sandbox sandbox, SandboxUser user, Instant deadline, long keepaliveMillis,
            ConnectStream stream) throws IOException {
        JsonNode config = request.path("process");
        String cmd = config.path("cmd").asText("");
        if (cmd.isEmpty()) {
            throw new RpcError("invalid_argument", "process.cmd is required");
        }
        if (request.has("pty")) {
            throw new RpcError("unimplemented", "PTY processes are not supported by the local E2B server");
        }
        String cwd = config.has("cwd") ? SandboxFiles.protocolPath(config.path("cwd").asText(), user) : user.home();
        Path hostCwd = sandbox.files.resolve(cwd);
        if (!Files.isDirectory(hostCwd)) {
            throw new RpcError("invalid_argument", "cwd '" + cwd + "' does not exist");
        }
        List<String> argv = new ArrayList<>();
        argv.add(cmd);
        config.path("args").forEach(arg -> argv.add(arg.asText()));
        ProcessBuilder builder;
        try {
            builder = new ProcessBuilder(sandbox.machine.command(user, cwd, argv)).directory(sandbox.files.root().toFile());
        } catch (IllegalStateException machineDown) {
            throw new RpcError("internal", "cannot start process: " + machineDown.getMessage());
        }
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(sandboxes.isolation().baseEnvironment(user));
        env.putAll(sandbox.envVars);
        config.path("envs").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        boolean keepStdin = !request.has("stdin") || request.path("stdin").asBoolean();
        String tag = request.hasNonNull("tag") ? request.path("tag").asText() : null;
        long timeoutMillis = deadline == null ? 0 : Math.max(1, deadline.toEpochMilli() - System.currentTimeMillis());
        SandboxProcess.Started started;
        try {
            started = SandboxProcess.start(builder, sandbox.machine, config, tag, keepStdin, timeoutMillis, sandboxes.scheduler);
        } catch (IOException e) {
            throw new RpcError("internal", "cannot start process: " + e.getMessage());
        }
        SandboxProcess process = started.process();
        if (!sandbox.add(process)) {
            process.kill();
            throw new RpcError("unavailable", "the sandbox was stopped");
        }
        stream.send(message(process.startEvent()));
        stream.send(message(keepalive()));
        relay(process, started.events(), deadline, true, keepaliveMillis, stream);
    }

    private void connect(JsonNode request, Sandbox sandbox, Instant deadline, long keepaliveMillis, ConnectStream stream)
            throws IOException {
        SandboxProcess process = selected(sandbox, request, false);
        BlockingQueue<ObjectNode> events = process.subscribe();
        stream.send(message(process.startEvent()));
        relay(process, events, deadline, false, keepaliveMillis, stream);
    }

    /**
     * Forwards a process's events to a stream until its end, the stream's deadline, or a dropped client.
     * At the deadline of the stream that started it the process is killed first (envd runs it under the
     * request's deadline); a Connect stream's deadline only ends the stream.
     */
    private void relay(SandboxProcess process, BlockingQueue<ObjectNode> events, Instant deadline, boolean killAtDeadline,
            long keepaliveMillis, ConnectStream stream) throws IOException {
        try {
            while (true) {
                long left = deadline == null ? Long.MAX_VALUE : deadline.toEpochMilli() - System.currentTimeMillis();
                if (left <= 0) {
                    if (killAtDeadline) {
                        process.expire();
                    }
                    stream.end(new RpcError("deadline_exceeded", "context deadline exceeded"));
                    return;
                }
                ObjectNode event = events.poll(Math.min(keepaliveMillis, left), TimeUnit.MILLISECONDS);
                if (event == SandboxProcess.DROPPED) {
                    stream.drop();
                    throw new ConnectionDropped("the sandbox of process " + process.pid + " was killed or paused");
                }
                if (event == null) {
                    if (keepaliveMillis < left) {
                        stream.send(message(keepalive()));
                    }
                    continue;
                }
                if (process.isEnd(event) && process.deadlineExceeded()) {
                    stream.end(new RpcError("deadline_exceeded", "context deadline exceeded"));
                    return;
                }
                stream.send(message(event));
                if (process.isEnd(event)) {
                    stream.end();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.end(new RpcError("unavailable", "server shutting down"));
        } finally {
            process.unsubscribe(events);
        }
    }

    private static ObjectNode message(ObjectNode event) {
        ObjectNode message = Json.object();
        message.set("event", event);
        return message;
    }

    private static ObjectNode keepalive() {
        ObjectNode event = Json.object();
        event.putObject("keepalive");
        return event;
    }

    private JsonNode list(Sandbox sandbox) {
        ObjectNode response = Json.object();
        ArrayNode processes = response.putArray("processes");
        for (SandboxProcess process : sandbox.running()) {
            ObjectNode info = processes.addObject();
            info.set("config", process.config);
            info.put("pid", process.pid);
            if (process.tag != null) {
                info.put("tag", process.tag);
            }
        }
        return response;
    }

    private static SandboxProcess running(Sandbox sandbox, JsonNode request) {
        return selected(sandbox, request, true);
    }

    private static SandboxProcess selected(Sandbox sandbox, JsonNode request, boolean runningOnly) {
        JsonNode selector = request.path("process");
        Integer pid = selector.has("pid") ? selector.path("pid").asInt() : null;
        String tag = selector.has("tag") ? selector.path("tag").asText() : null;
        if (pid == null && tag == null) {
            throw new RpcError("invalid_argument", "process selector needs a pid or a tag");
        }
        String what = pid != null ? "pid " + pid : "tag '" + tag + "'";
        return (runningOnly ? sandbox.findRunning(pid, tag) : sandbox.find(pid, tag))
                .orElseThrow(() -> new RpcError("not_found", "process with " + what + " not found"));
    }

    private static SandboxProcess.Signal signal(JsonNode value) {
        String name = value.asText("");
        return switch (name) {
            case "SIGNAL_SIGKILL", "9" -> SandboxProcess.Signal.SIGKILL;
            case "SIGNAL_SIGTERM", "15" -> SandboxProcess.Signal.SIGTERM;
            default -> throw new RpcError("invalid_argument", "unsupported signal: " + name);
        };
    }
}
