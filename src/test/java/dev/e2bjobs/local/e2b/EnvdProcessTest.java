package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.e2b.ConnectEnvelope;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** process.Process over the Connect protocol, checked envelope by envelope. */
class EnvdProcessTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults());
    static WireClient.Sandbox sandbox;

    @BeforeAll
    static void createSandbox() {
        sandbox = E2B.wire().create("{\"templateID\":\"base\",\"envVars\":{\"SANDBOX_VAR\":\"from-create\"}}");
    }

    private static JsonNode event(ConnectEnvelope envelope) {
        return WireClient.json(envelope.text()).path("event");
    }

    @Test
    void startStreamsStartThenDataThenEndThenAnEndStreamFrame() {
        HttpResponse<InputStream> response = E2B.wire().openStream(sandbox, "process.Process/Start", WireClient.startRequest("echo hi").toString());
        assertEquals(200, response.statusCode());
        assertEquals("application/connect+json", response.headers().firstValue("Content-Type").orElseThrow());
        List<ConnectEnvelope> envelopes = E2B.wire().run(sandbox, "echo hi");

        assertTrue(event(envelopes.get(0)).path("start").path("pid").asInt() > 0, "the first message is start");
        assertEquals("hi\n", WireClient.output(envelopes, "stdout"));
        JsonNode end = WireClient.end(envelopes);
        assertTrue(end.path("exited").asBoolean());
        assertEquals("exit status 0", end.path("status").asText());
        assertFalse(end.has("exitCode"), "proto3 JSON omits a zero exit code");
        ConnectEnvelope last = envelopes.get(envelopes.size() - 1);
        assertEquals(ConnectEnvelope.FLAG_END_STREAM, last.flags());
        assertEquals("{}", last.text());
        envelopes.subList(0, envelopes.size() - 1).forEach(e -> assertEquals(0, e.flags()));
    }

    @Test
    void aFailingCommandEndsWithItsExitCodeAndStderr() {
        List<ConnectEnvelope> envelopes = E2B.wire().run(sandbox, "echo bad >&2; exit 7");
        JsonNode end = WireClient.end(envelopes);
        assertEquals(7, end.path("exitCode").asInt());
        assertEquals("exit status 7", end.path("error").asText());
        assertEquals("bad\n", WireClient.output(envelopes, "stderr"));
    }

    @Test
    void envVarsCwdAndPythonAreThoseOfAnE2bBaseSandbox() {
        ObjectNode request = WireClient.startRequest("echo \"$SANDBOX_VAR $CMD_VAR $(pwd) $HOME\"; python -c 'import sys; print(sys.version_info[0])'");
        ((ObjectNode) request.path("process")).put("cwd", "/tmp").putObject("envs").put("CMD_VAR", "from-start");
        List<ConnectEnvelope> envelopes = E2B.wire().stream(sandbox, "process.Process/Start", request.toString());
        assertEquals("from-create from-start /tmp /home/user\n3\n", WireClient.output(envelopes, "stdout"));
    }

    @Test
    void aMissingCwdIsAnInvalidArgumentInTheEndStreamFrame() {
        ObjectNode request = WireClient.startRequest("true");
        ((ObjectNode) request.path("process")).put("cwd", "/does/not/exist");
        List<ConnectEnvelope> envelopes = E2B.wire().stream(sandbox, "process.Process/Start", request.toString());
        assertEquals(1, envelopes.size());
        JsonNode error = WireClient.json(envelopes.get(0).text()).path("error");
        assertTrue(envelopes.get(0).isEndStream());
        assertEquals("invalid_argument", error.path("code").asText());
        assertEquals("cwd '/does/not/exist' does not exist", error.path("message").asText());
    }

    @Test
    void connectTimeoutKillsTheProcessAndEndsWithDeadlineExceeded() throws Exception {
        List<ConnectEnvelope> envelopes = E2B.wire().run(sandbox, "echo $$ > /tmp/slow.pid; exec sleep 30", "Connect-Timeout-Ms", "700");
        ConnectEnvelope last = envelopes.get(envelopes.size() - 1);
        assertTrue(last.isEndStream());
        assertEquals("deadline_exceeded", WireClient.json(last.text()).path("error").path("code").asText());
        int pid = event(envelopes.get(0)).path("start").path("pid").asInt();
        JsonNode listed = WireClient.json(E2B.wire().unary(sandbox, "process.Process/List", "{}").body());
        listed.path("processes").forEach(p -> assertFalse(p.path("pid").asInt() == pid, "killed process is not listed"));
        assertTrue(E2B.server().sandboxProcesses(sandbox.id()).stream().noneMatch(p -> p.info().command().orElse("").endsWith("sleep")));
    }

    @Test
    void aProcessSurvivesItsClientDisconnectingAndConnectReplaysItsEnd() throws Exception {
        HttpResponse<InputStream> response = E2B.wire().openStream(sandbox, "process.Process/Start",
                WireClient.startRequest("sleep 1; echo finished > /home/user/background.txt; exit 4").toString());
        int pid;
        try (InputStream in = response.body()) {
            pid = WireClient.startedPid(in);
        }
        Path marker = E2B.server().sandboxRoot(sandbox.id()).resolve("home/user/background.txt");
        for (int i = 0; i < 100 && !Files.exists(marker); i++) {
            Thread.sleep(100);
        }
        assertEquals("finished\n", Files.readString(marker), "the process ran on after the client left");

        List<ConnectEnvelope> replay = E2B.wire().stream(sandbox, "process.Process/Connect", "{\"process\":{\"pid\":" + pid + "}}");
        for (int i = 0; i < 50 && WireClient.end(replay).isMissingNode(); i++) {
            Thread.sleep(100);
            replay = E2B.wire().stream(sandbox, "process.Process/Connect", "{\"process\":{\"pid\":" + pid + "}}");
        }
        assertEquals(pid, event(replay.get(0)).path("start").path("pid").asInt());
        assertEquals(4, WireClient.end(replay).path("exitCode").asInt());
        assertEquals("{}", replay.get(replay.size() - 1).text());
    }

    @Test
    void connectToAnUnknownPidIsNotFoundAfterHeaders() {
        HttpResponse<InputStream> response = E2B.wire().openStream(sandbox, "process.Process/Connect", "{\"process\":{\"pid\":999999}}");
        assertEquals(200, response.statusCode());
        List<ConnectEnvelope> envelopes = E2B.wire().stream(sandbox, "process.Process/Connect", "{\"process\":{\"pid\":999999}}");
        assertEquals(1, envelopes.size());
        assertEquals("not_found", WireClient.json(envelopes.get(0).text()).path("error").path("code").asText());
    }

    @Test
    void keepalivesArriveDuringSilence() {
        List<ConnectEnvelope> envelopes = E2B.wire().run(sandbox, "sleep 2.5; echo woke", "Keepalive-Ping-Interval", "1");
        long keepalives = envelopes.stream().filter(e -> event(e).has("keepalive")).count();
        assertTrue(keepalives >= 2, "one after start and at least one during the silence, got " + keepalives);
        assertEquals("woke\n", WireClient.output(envelopes, "stdout"));
    }

    @Test
    void stdinCanBeWrittenAndClosedAndSignalsKill() throws Exception {
        ObjectNode request = WireClient.startRequest("cat");
        request.put("stdin", true).put("tag", "cat-1");
        HttpResponse<InputStream> response = E2B.wire().openStream(sandbox, "process.Process/Start", request.toString());
        try (InputStream in = response.body()) {
            int pid = WireClient.startedPid(in);
            String input = Base64.getEncoder().encodeToString("ping\n".getBytes());
            assertEquals(200, E2B.wire().unary(sandbox, "process.Process/SendInput",
                    "{\"process\":{\"tag\":\"cat-1\"},\"input\":{\"stdin\":\"" + input + "\"}}").statusCode());
            assertEquals(200, E2B.wire().unary(sandbox, "process.Process/CloseStdin", "{\"process\":{\"pid\":" + pid + "}}").statusCode());
            StringBuilder stdout = new StringBuilder();
            JsonNode end = null;
            ConnectEnvelope envelope;
            while ((envelope = ConnectEnvelope.read(in)) != null && !envelope.isEndStream()) {
                JsonNode event = event(envelope);
                if (event.path("data").has("stdout")) {
                    stdout.append(new String(Base64.getDecoder().decode(event.path("data").path("stdout").asText())));
                }
                if (event.has("end")) {
                    end = event.path("end");
                }
            }
            assertEquals("ping\n", stdout.toString());
            assertEquals("exit status 0", end.path("status").asText());
        }

        HttpResponse<InputStream> sleeper = E2B.wire().openStream(sandbox, "process.Process/Start", WireClient.startRequest("sleep 30").toString());
        try (InputStream in = sleeper.body()) {
            int pid = WireClient.startedPid(in);
            assertEquals(200, E2B.wire().unary(sandbox, "process.Process/SendSignal",
                    "{\"process\":{\"pid\":" + pid + "},\"signal\":\"SIGNAL_SIGKILL\"}").statusCode());
            JsonNode end = null;
            ConnectEnvelope envelope;
            while ((envelope = ConnectEnvelope.read(in)) != null) {
                if (event(envelope).has("end")) {
                    end = event(envelope).path("end");
                }
            }
            assertEquals("signal: killed", end.path("status").asText());
            assertEquals(-1, end.path("exitCode").asInt());
        }
    }

    @Test
    void unaryErrorsCarryAStringCodeAndTheMatchingStatus() {
        HttpResponse<String> signal = E2B.wire().unary(sandbox, "process.Process/SendSignal", "{\"process\":{\"pid\":999999},\"signal\":\"SIGNAL_SIGKILL\"}");
        assertEquals(404, signal.statusCode());
        assertEquals("application/json; charset=utf-8", signal.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("not_found", WireClient.json(signal.body()).path("code").asText());

        HttpResponse<String> unknown = E2B.wire().unary(sandbox, "process.Process/StreamInput", "{}");
        assertEquals(501, unknown.statusCode());
        assertEquals("unimplemented", WireClient.json(unknown.body()).path("code").asText());
        List<ConnectEnvelope> streamed = E2B.wire().stream(sandbox, "process.Process/StreamInput", "{}");
        assertEquals("unimplemented", WireClient.json(streamed.get(streamed.size() - 1).text()).path("error").path("code").asText(),
                "a streaming call gets Connect's unimplemented, not HTTP 415");
    }

    @Test
    void rpcNeedsTheAccessTokenButHealthDoesNot() {
        WireClient.Sandbox wrongToken = new WireClient.Sandbox(sandbox.id(), "not-the-token");
        HttpResponse<String> denied = E2B.wire().unary(wrongToken, "process.Process/List", "{}");
        assertEquals(401, denied.statusCode());
        assertEquals(401, WireClient.json(denied.body()).path("code").asInt());
        assertEquals(204, E2B.wire().send(E2B.wire().envd(wrongToken, "/health").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }
}
