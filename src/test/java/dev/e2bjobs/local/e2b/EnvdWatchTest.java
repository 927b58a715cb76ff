package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.e2bjobs.e2b.ConnectEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** filesystem.Filesystem WatchDir (a server stream) and the polled watchers, for changes by the file API and by processes. */
class EnvdWatchTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults());

    /** A WatchDir stream read as it arrives. */
    private static final class Watch {
        private final BlockingQueue<ConnectEnvelope> envelopes = new LinkedBlockingQueue<>();
        /** Every filesystem event read so far, as "TYPE name". */
        private final List<String> seen = new ArrayList<>();

        Watch(WireClient.Sandbox sandbox, String request, String... headers) {
            InputStream body = E2B.wire().openStream(sandbox, "filesystem.Filesystem/WatchDir", request, headers).body();
            Thread reader = new Thread(() -> {
                try (body) {
                    for (ConnectEnvelope envelope; (envelope = ConnectEnvelope.read(body)) != null; ) {
                        envelopes.add(envelope);
                    }
                } catch (IOException streamClosed) {
                    // the test is over
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        ConnectEnvelope next() throws InterruptedException {
            ConnectEnvelope envelope = envelopes.poll(5, TimeUnit.SECONDS);
            assertNotNull(envelope, "nothing arrived within 5 s");
            return envelope;
        }

        /** Reads up to the filesystem event {@code type name}; returns the event. */
        JsonNode awaitEvent(String type, String name) throws InterruptedException {
            while (true) {
                ConnectEnvelope envelope = next();
                assertFalse(envelope.isEndStream(), "stream ended before " + type + " " + name + ": " + envelope.text() + " after " + seen);
                JsonNode event = WireClient.json(envelope.text()).path("filesystem");
                if (event.isMissingNode()) {
                    continue; // a keepalive
                }
                seen.add(event.path("type").asText().replace("EVENT_TYPE_", "") + " " + event.path("name").asText());
                if (seen.get(seen.size() - 1).equals(type + " " + name)) {
                    return event;
                }
            }
        }
    }

    private static void upload(String path, String content) {
        E2B.wire().upload(E2B.sandbox(), path, content.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode rpc(String procedure, String json) {
        return WireClient.json(E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/" + procedure, json).body());
    }

    @Test
    void aWatchStartsThenReportsWhatTheFileApiAndProcessesDo() throws Exception {
        rpc("MakeDir", "{\"path\":\"/home/user/watched\"}");
        Watch watch = new Watch(E2B.sandbox(), "{\"path\":\"/home/user/watched\",\"includeEntry\":true}");
        assertEquals("{\"start\":{}}", watch.next().text(), "the first message is start");

        upload("/home/user/watched/api.txt", "one");
        JsonNode created = watch.awaitEvent("CREATE", "api.txt");
        assertEquals("/home/user/watched/api.txt", created.path("entry").path("path").asText(), "includeEntry adds the entry");
        watch.awaitEvent("WRITE", "api.txt");
        E2B.wire().run(E2B.sandbox(), "echo two > /home/user/watched/cmd.txt && rm /home/user/watched/api.txt");
        watch.awaitEvent("CREATE", "cmd.txt");
        watch.awaitEvent("WRITE", "cmd.txt");
        JsonNode removed = watch.awaitEvent("REMOVE", "api.txt");
        assertFalse(removed.has("entry"), "a removed file has no entry");
    }

    @Test
    void aRecursiveWatchFollowsNewSubdirectoriesAPlainOneDoesNot() throws Exception {
        rpc("MakeDir", "{\"path\":\"/home/user/tree\"}");
        Watch recursive = new Watch(E2B.sandbox(), "{\"path\":\"/home/user/tree\",\"recursive\":true}");
        Watch plain = new Watch(E2B.sandbox(), "{\"path\":\"/home/user/tree\"}");
        recursive.next();
        plain.next();

        E2B.wire().run(E2B.sandbox(), "mkdir -p /home/user/tree/a/b && echo early > /home/user/tree/a/b/early.txt");
        recursive.awaitEvent("CREATE", "a");
        recursive.awaitEvent("CREATE", "a/b/early.txt");
        upload("/home/user/tree/a/b/late.txt", "late");
        recursive.awaitEvent("WRITE", "a/b/late.txt");

        upload("/home/user/tree/top.txt", "top");
        plain.awaitEvent("CREATE", "top.txt");
        assertTrue(plain.seen.contains("CREATE a"), plain.seen.toString());
        assertTrue(plain.seen.stream().noneMatch(event -> event.contains(" a/")), "nothing from inside a/: " + plain.seen);
    }

    @Test
    void silenceIsFilledWithKeepalives() throws Exception {
        Watch watch = new Watch(E2B.sandbox(), "{\"path\":\"/home/user\"}", "Keepalive-Ping-Interval", "1");
        watch.next();
        assertEquals("{\"keepalive\":{}}", watch.next().text());
    }

    @Test
    void aMissingDirectoryOrAFileCannotBeWatched() throws Exception {
        upload("/home/user/plain.txt", "x");
        assertStreamError("not_found", "path /home/user/nope not found: stat /home/user/nope: no such file or directory", "/home/user/nope");
        assertStreamError("invalid_argument", "path /home/user/plain.txt not a directory", "/home/user/plain.txt");
        HttpResponse<String> polled = E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/CreateWatcher", "{\"path\":\"/home/user/nope\"}");
        assertEquals(404, polled.statusCode());
        assertEquals("not_found", WireClient.json(polled.body()).path("code").asText());
    }

    private static void assertStreamError(String code, String message, String path) {
        List<ConnectEnvelope> envelopes = E2B.wire().stream(E2B.sandbox(), "filesystem.Filesystem/WatchDir", "{\"path\":\"" + path + "\"}");
        assertEquals(1, envelopes.size());
        assertTrue(envelopes.get(0).isEndStream());
        JsonNode error = WireClient.json(envelopes.get(0).text()).path("error");
        assertEquals(code, error.path("code").asText());
        assertEquals(message, error.path("message").asText());
    }

    @Test
    void theStreamEndsAtItsDeadlineAndWhenTheSandboxIsKilled() throws Exception {
        Watch timed = new Watch(E2B.sandbox(), "{\"path\":\"/home/user\"}", "Connect-Timeout-Ms", "300");
        timed.next();
        assertEquals("deadline_exceeded", WireClient.json(timed.next().text()).path("error").path("code").asText());

        WireClient.Sandbox doomed = E2B.wire().create();
        Watch watch = new Watch(doomed, "{\"path\":\"/home/user\"}");
        watch.next();
        E2B.wire().api("DELETE", "/sandboxes/" + doomed.id(), null);
        ConnectEnvelope last = watch.next();
        assertTrue(last.isEndStream());
        assertEquals("unavailable", WireClient.json(last.text()).path("error").path("code").asText());
    }

    @Test
    void aPolledWatcherCollectsEventsUntilRemoved() throws Exception {
        rpc("MakeDir", "{\"path\":\"/home/user/polled\"}");
        String id = rpc("CreateWatcher", "{\"path\":\"/home/user/polled\",\"recursive\":true}").path("watcherId").asText();
        assertTrue(id.startsWith("w"), id);
        E2B.wire().run(E2B.sandbox(), "mkdir /home/user/polled/sub && touch /home/user/polled/sub/made.txt");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 50 && !events.contains("EVENT_TYPE_CREATE sub/made.txt"); i++) {
            rpc("GetWatcherEvents", "{\"watcherId\":\"" + id + "\"}").path("events")
                    .forEach(e -> events.add(e.path("type").asText() + " " + e.path("name").asText()));
            Thread.sleep(100);
        }
        assertTrue(events.containsAll(List.of("EVENT_TYPE_CREATE sub", "EVENT_TYPE_CREATE sub/made.txt")), events.toString());

        assertEquals("{}", rpc("RemoveWatcher", "{\"watcherId\":\"" + id + "\"}").toString());
        HttpResponse<String> gone = E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/GetWatcherEvents", "{\"watcherId\":\"" + id + "\"}");
        assertEquals(404, gone.statusCode());
        assertEquals("watcher with id " + id + " not found", WireClient.json(gone.body()).path("message").asText());
    }
}
