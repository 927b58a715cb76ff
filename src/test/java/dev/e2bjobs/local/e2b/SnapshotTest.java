package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Snapshots as E2B defines them: a sandbox's files kept under an id (and a name), that new sandboxes start from. */
class SnapshotTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults().withIsolation(Isolation.Mode.BWRAP).withMaxSandboxes(30));

    private static String run(WireClient.Sandbox sandbox, String command) {
        return WireClient.output(E2B.wire().run(sandbox, command), "stdout");
    }

    private static HttpResponse<String> snapshot(WireClient.Sandbox sandbox, String body) {
        return E2B.wire().api("POST", "/sandboxes/" + sandbox.id() + "/snapshots", body);
    }

    private static JsonNode taken(WireClient.Sandbox sandbox, String body) {
        HttpResponse<String> response = snapshot(sandbox, body);
        assertEquals(201, response.statusCode(), response.body());
        return WireClient.json(response.body());
    }

    private static HttpResponse<String> createFrom(String templateId) {
        return E2B.wire().api("POST", "/v2/sandboxes", Json.object().put("templateID", templateId).toString());
    }

    private static WireClient.Sandbox startedFrom(String templateId) {
        return E2B.wire().create(Json.object().put("templateID", templateId).toString());
    }

    private static List<String> snapshotIds(HttpResponse<String> listed) {
        List<String> ids = new ArrayList<>();
        WireClient.json(listed.body()).forEach(s -> ids.add(s.path("snapshotID").asText()));
        return ids;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Test
    void aSnapshotHasTheFilesOfTheMomentAndTheSandboxsProcessesGoOn() throws Exception {
        WireClient.Sandbox source = E2B.wire().create();
        run(source, "mkdir -p /home/user/venv && echo installed > /home/user/venv/marker");
        int counter = E2B.wire().startInBackground(source, "while true; do date +%s%N > /home/user/tick; sleep 0.05; done");

        JsonNode snapshot = taken(source, "{}");
        assertTrue(snapshot.path("snapshotID").asText().matches("[a-z0-9]{20}:default"), snapshot.toString());
        assertEquals(0, snapshot.path("names").size());

        String tick = run(source, "cat /home/user/tick");
        Thread.sleep(300);
        assertFalse(tick.equals(run(source, "cat /home/user/tick")), "the source's process goes on after the copy");
        WireClient.Sandbox started = startedFrom(snapshot.path("snapshotID").asText());
        assertEquals("installed\n", run(started, "cat /home/user/venv/marker"));
        assertFalse(run(started, "ps -eo pid=").lines().anyMatch(line -> line.trim().equals(String.valueOf(counter))),
                "processes are not part of a snapshot");
    }

    @Test
    void aSandboxStartedFromASnapshotWithAnInstalledPackageImportsItWithoutReadingTheIndex() {
        WireClient.Sandbox source = E2B.wire().create();
        run(source, "python -m pip install -q --no-input --disable-pip-version-check e2bjobs-probe");
        String snapshotId = taken(source, "{}").path("snapshotID").asText();
        LocalE2bAdmin admin = new LocalE2bAdmin(E2B.server().url());
        long indexReads = admin.indexReads();

        WireClient.Sandbox started = startedFrom(snapshotId);
        assertEquals("42\n", run(started, "python -c 'import e2bjobs_probe; print(e2bjobs_probe.VALUE)'"));
        assertEquals(indexReads, admin.indexReads(), "the package came with the snapshot, not from the index");
    }

    @Test
    void aNamedSnapshotIsFoundByItsIdItsNameAndTheBareName() {
        WireClient.Sandbox source = E2B.wire().create();
        run(source, "echo named > /home/user/file");
        JsonNode snapshot = taken(source, "{\"name\":\"deps-1\"}");
        assertEquals("local/deps-1:default", snapshot.path("snapshotID").asText());
        assertEquals("[\"local/deps-1\"]", snapshot.path("names").toString());

        for (String reference : List.of("local/deps-1:default", "local/deps-1", "deps-1", "deps-1:default")) {
            assertEquals("named\n", run(startedFrom(reference), "cat /home/user/file"), reference);
        }
        HttpResponse<String> v1 = E2B.wire().api("POST", "/sandboxes", "{\"templateID\":\"deps-1\"}");
        assertEquals(201, v1.statusCode(), v1.body());
        assertTrue(WireClient.json(v1.body()).path("templateID").asText().matches("[a-z0-9]{20}"),
                "a sandbox reports the snapshot's template id, as E2B does: " + v1.body());
    }

    @Test
    void takingANameAgainMovesItToTheNewSnapshot() {
        WireClient.Sandbox source = E2B.wire().create();
        run(source, "echo first > /home/user/file");
        taken(source, "{\"name\":\"moving\"}");
        run(source, "echo second > /home/user/file");
        taken(source, "{\"name\":\"moving\"}");

        assertEquals("second\n", run(startedFrom("moving"), "cat /home/user/file"));
        assertEquals(List.of("local/moving:default"), snapshotIds(E2B.wire().api("GET", "/snapshots?name=moving", null)));
    }

    @Test
    void aPausedSandboxIsCopiedAsItIsAndTheSnapshotOutlivesIt() {
        WireClient.Sandbox source = E2B.wire().create();
        run(source, "echo kept > /home/user/file");
        assertEquals(204, E2B.wire().api("POST", "/sandboxes/" + source.id() + "/pause", null).statusCode());

        String snapshotId = taken(source, "{}").path("snapshotID").asText();
        assertEquals(204, E2B.wire().api("DELETE", "/sandboxes/" + source.id(), null).statusCode());
        assertEquals("kept\n", run(startedFrom(snapshotId), "cat /home/user/file"));
    }

    @Test
    void listingFiltersBySandboxAndNameAndPagesNewestFirst() {
        WireClient.Sandbox source = E2B.wire().create();
        List<String> taken = new ArrayList<>();
        for (String body : List.of("{}", "{\"name\":\"listed\"}", "{}")) {
            taken.add(taken(source, body).path("snapshotID").asText());
        }
        taken(E2B.wire().create(), "{}");

        HttpResponse<String> first = E2B.wire().api("GET", "/snapshots?limit=2&sandboxID=" + source.id(), null);
        assertEquals(200, first.statusCode(), first.body());
        String token = first.headers().firstValue("X-Next-Token").orElseThrow();
        HttpResponse<String> second = E2B.wire().api("GET", "/snapshots?limit=2&sandboxID=" + source.id() + "&nextToken=" + token, null);
        assertTrue(second.headers().firstValue("X-Next-Token").isEmpty(), "no token on the last page");
        List<String> listed = new ArrayList<>(snapshotIds(first));
        listed.addAll(snapshotIds(second));
        assertEquals(List.of(taken.get(2), taken.get(1), taken.get(0)), listed);

        assertEquals(List.of("local/listed:default"), snapshotIds(E2B.wire().api("GET", "/snapshots?name=" + encode("local/listed"), null)));
        assertEquals(List.of(), snapshotIds(E2B.wire().api("GET", "/snapshots?name=nothing-by-this-name", null)));
        assertEquals(400, E2B.wire().api("GET", "/snapshots?nextToken=bm90LWEtdG9rZW4", null).statusCode());
    }

    @Test
    void aDeletedSnapshotIsAnUnknownTemplateWhileOtherTemplatesStillStart() {
        WireClient.Sandbox source = E2B.wire().create();
        String named = taken(source, "{\"name\":\"doomed\"}").path("snapshotID").asText();
        String unnamed = taken(source, "{}").path("snapshotID").asText();

        assertEquals(204, E2B.wire().api("DELETE", "/templates/" + encode(named), null).statusCode());
        assertEquals(204, E2B.wire().api("DELETE", "/templates/" + encode(unnamed), null).statusCode());
        assertError(404, "template 'local/doomed' not found", createFrom(named));
        assertError(404, "template 'doomed' not found", createFrom("doomed"));
        assertError(404, "template '" + unnamed.replace(":default", "") + "' not found", createFrom(unnamed));
        assertError(404, "template 'local/doomed' not found", E2B.wire().api("DELETE", "/templates/" + encode(named), null));
        assertError(404, "template 'local/never-taken' not found", createFrom("local/never-taken"));
        assertEquals(List.of(), snapshotIds(E2B.wire().api("GET", "/snapshots?sandboxID=" + source.id(), null)));
        assertEquals(201, createFrom("some-team-template").statusCode(), "a template that is no snapshot starts the base environment");
    }

    @Test
    void badNamesAndUnknownSandboxesGetE2bsErrors() {
        WireClient.Sandbox source = E2B.wire().create();
        assertError(400, "Invalid name: invalid template ID: Bad Name!", snapshot(source, "{\"name\":\"Bad Name!\"}"));
        assertError(400, "namespace 'other' must match your team 'local'", snapshot(source, "{\"name\":\"other/deps\"}"));
        assertError(404, "Sandbox \"inope\" doesn't exist or you don't have access to it",
                E2B.wire().api("POST", "/sandboxes/inope/snapshots", "{}"));
        assertError(400, "Invalid template ID: invalid tag: a b", E2B.wire().api("DELETE", "/templates/x%3Aa%20b", null));
        assertEquals(501, E2B.wire().api("GET", "/templates/x", null).statusCode(), "other template routes are not implemented");
    }

    private static void assertError(int status, String message, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(status, WireClient.json(response.body()).path("code").asInt(), response.body());
        assertEquals(message, WireClient.json(response.body()).path("message").asText());
    }

    @Test
    void snapshotsOutliveTheServerOnTheSameDataDir() throws Exception {
        Path dataDir = Files.createTempDirectory("local-e2b-snapshots-");
        String name = "kept-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            try (LocalE2bServer first = LocalE2bServer.start(LocalE2bSettings.defaults().withDataDir(dataDir))) {
                WireClient wire = new WireClient(first);
                WireClient.Sandbox source = wire.create();
                wire.run(source, "echo across > /home/user/file");
                assertEquals(201, wire.api("POST", "/sandboxes/" + source.id() + "/snapshots", "{\"name\":\"" + name + "\"}").statusCode());
            }
            try (LocalE2bServer second = LocalE2bServer.start(LocalE2bSettings.defaults().withDataDir(dataDir))) {
                WireClient wire = new WireClient(second);
                assertEquals(List.of("local/" + name + ":default"), snapshotIds(wire.api("GET", "/snapshots", null)));
                WireClient.Sandbox started = wire.create(Json.object().put("templateID", name).toString());
                assertEquals("across\n", WireClient.output(wire.run(started, "cat /home/user/file"), "stdout"));
            }
        } finally {
            Sandboxes.deleteTree(dataDir);
        }
    }
}
