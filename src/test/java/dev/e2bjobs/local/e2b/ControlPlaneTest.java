package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ControlPlaneTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults().withMaxSandboxes(8));


    private static JsonNode json(HttpResponse<String> response) {
        return WireClient.json(response.body());
    }

    private static long lifetimeSeconds(JsonNode detail) {
        return Duration.between(Instant.parse(detail.path("startedAt").asText()), Instant.parse(detail.path("endAt").asText())).toSeconds();
    }

    @Test
    void createAnswersWithTheSandboxTheSdksExpect() {
        HttpResponse<String> created = E2B.wire().api("POST", "/v2/sandboxes",
                "{\"templateID\":\"base\",\"metadata\":{\"k\":\"v\"},\"unknownField\":true}");
        assertEquals(201, created.statusCode());
        JsonNode body = json(created);
        assertTrue(body.path("sandboxID").asText().matches("i[a-z0-9]{20}"), body.toString());
        assertEquals("base", body.path("templateID").asText());
        assertEquals("0.6.13", body.path("envdVersion").asText());
        assertFalse(body.path("clientID").asText().isEmpty());
        assertFalse(body.path("envdAccessToken").asText().isEmpty());

        JsonNode detail = json(E2B.wire().api("GET", "/sandboxes/" + body.path("sandboxID").asText(), null));
        assertEquals("running", detail.path("state").asText());
        assertEquals("v", detail.path("metadata").path("k").asText());
        assertEquals(300, lifetimeSeconds(detail), "v2 default timeout");
        E2B.wire().api("DELETE", "/sandboxes/" + body.path("sandboxID").asText(), null);
    }

    @Test
    void v1CreateDefaultsTo15SecondsAndIssuesATokenOnlyWhenSecure() {
        JsonNode insecure = json(E2B.wire().api("POST", "/sandboxes", "{\"templateID\":\"base\"}"));
        assertFalse(insecure.has("envdAccessToken"));
        JsonNode detail = json(E2B.wire().api("GET", "/sandboxes/" + insecure.path("sandboxID").asText(), null));
        assertEquals(15, lifetimeSeconds(detail));

        JsonNode secure = json(E2B.wire().api("POST", "/sandboxes", "{\"templateID\":\"base\",\"secure\":true,\"timeout\":60}"));
        assertFalse(secure.path("envdAccessToken").asText().isEmpty());
        E2B.wire().api("DELETE", "/sandboxes/" + insecure.path("sandboxID").asText(), null);
        E2B.wire().api("DELETE", "/sandboxes/" + secure.path("sandboxID").asText(), null);
    }

    @Test
    void badCreatesAre400WithACodeInTheBody() {
        for (String body : List.of("{\"templateID\":\"base\",\"timeout\":0}", "{\"templateID\":\"base\",\"timeout\":86401}",
                "{\"timeout\":10}", "{not json", "{\"templateID\":\"base\",\"envVars\":{\"A\":1}}")) {
            HttpResponse<String> response = E2B.wire().api("POST", "/v2/sandboxes", body);
            assertEquals(400, response.statusCode(), body);
            assertEquals(400, json(response).path("code").asInt(), body);
        }
        assertEquals("Timeout cannot be greater than 24 hours",
                json(E2B.wire().api("POST", "/v2/sandboxes", "{\"templateID\":\"base\",\"timeout\":86401}")).path("message").asText());
    }

    @Test
    void aMissingOrMalformedApiKeyIs401() {
        for (String key : new String[] {null, "sk_live_123", "e2b_XYZ"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(E2B.server().url() + "/v2/sandboxes")).GET();
            if (key != null) {
                request.header("X-API-Key", key);
            }
            HttpResponse<String> response = E2B.wire().send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, response.statusCode());
            assertEquals(401, json(response).path("code").asInt());
        }
    }

    @Test
    void unknownSandboxesAre404WithCode404AndKillAnswers204ThenFalse() {
        HttpResponse<String> missing = E2B.wire().api("GET", "/sandboxes/inope", null);
        assertEquals(404, missing.statusCode());
        assertEquals(404, json(missing).path("code").asInt());
        assertEquals("Sandbox \"inope\" doesn't exist or you don't have access to it", json(missing).path("message").asText());

        WireClient.Sandbox sandbox = E2B.wire().create();
        assertEquals(204, E2B.wire().api("DELETE", "/sandboxes/" + sandbox.id(), null).statusCode());
        HttpResponse<String> again = E2B.wire().api("DELETE", "/sandboxes/" + sandbox.id(), null);
        assertEquals(404, again.statusCode());
        assertEquals(404, json(again).path("code").asInt());
    }

    @Test
    void overTheConcurrencyCapCreateIs429() throws Exception {
        try (LocalE2bServer small = LocalE2bServer.start(LocalE2bSettings.defaults().withMaxSandboxes(2))) {
            WireClient client = new WireClient(small);
            WireClient.Sandbox first = client.create();
            client.create();
            HttpResponse<String> third = client.api("POST", "/v2/sandboxes", "{\"templateID\":\"base\"}");
            assertEquals(429, third.statusCode());
            assertEquals(429, json(third).path("code").asInt());
            assertTrue(json(third).path("message").asText().contains("maximum number of concurrent E2B sandboxes (2)"));

            client.api("DELETE", "/sandboxes/" + first.id(), null);
            assertEquals(201, client.api("POST", "/v2/sandboxes", "{\"templateID\":\"base\"}").statusCode(), "a freed slot is usable");
        }
    }

    @Test
    void listFiltersByTripleEncodedMetadataAndPaginatesWithNextToken() {
        String suite = UUID.randomUUID().toString();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(E2B.wire().create("{\"templateID\":\"base\",\"metadata\":{\"suite\":\"" + suite + "\",\"who\":\"a b&c=d\"}}").id());
        }
        E2B.wire().create("{\"templateID\":\"base\",\"metadata\":{\"suite\":\"" + suite + "\",\"who\":\"other\"}}");
        // As the SDK does it: encodeURIComponent each key and value, URLSearchParams encodes them again
        // when joining, and the joined string is encoded once more as the query parameter.
        String pairs = "suite=" + encode(encode(suite)) + "&who=" + encode(encode("a b&c=d"));
        String filter = encode(pairs);
        assertTrue(filter.contains("a%252520b"), "three layers of encoding, as observed from the SDK: " + filter);

        HttpResponse<String> first = E2B.wire().api("GET", "/v2/sandboxes?state=running,paused&limit=2&metadata=" + filter, null);
        assertEquals(200, first.statusCode());
        assertEquals(2, json(first).size());
        assertEquals("3", first.headers().firstValue("X-Total-Running").orElseThrow());
        String token = first.headers().firstValue("X-Next-Token").orElseThrow();

        HttpResponse<String> second = E2B.wire().api("GET", "/v2/sandboxes?limit=2&metadata=" + filter + "&nextToken=" + token, null);
        assertEquals(1, json(second).size());
        assertTrue(second.headers().firstValue("X-Next-Token").isEmpty(), "no token on the last page");

        List<String> listed = new ArrayList<>();
        json(first).forEach(s -> listed.add(s.path("sandboxID").asText()));
        json(second).forEach(s -> listed.add(s.path("sandboxID").asText()));
        assertEquals(ids.stream().sorted().toList(), listed.stream().sorted().toList());

        assertEquals(0, json(E2B.wire().api("GET", "/v2/sandboxes?state=paused&metadata=" + filter, null)).size());
        assertEquals(400, E2B.wire().api("GET", "/v2/sandboxes?nextToken=bm90LWEtdG9rZW4", null).statusCode());
        assertEquals(400, E2B.wire().api("GET", "/v2/sandboxes?state=sleeping", null).statusCode());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void setTimeoutShortensOrExtendsButConnectOnlyExtends() {
        WireClient.Sandbox sandbox = E2B.wire().create("{\"templateID\":\"base\",\"timeout\":600}");
        assertEquals(204, E2B.wire().api("POST", "/sandboxes/" + sandbox.id() + "/timeout", "{\"timeout\":30}").statusCode());
        assertEquals(30, lifetimeSeconds(json(E2B.wire().api("GET", "/sandboxes/" + sandbox.id(), null))), 1);

        HttpResponse<String> connected = E2B.wire().api("POST", "/v2/sandboxes/" + sandbox.id() + "/connect", "{\"timeout\":10}");
        assertEquals(200, connected.statusCode());
        assertEquals(sandbox.token(), json(connected).path("envdAccessToken").asText());
        assertEquals(30, lifetimeSeconds(json(E2B.wire().api("GET", "/sandboxes/" + sandbox.id(), null))), 1, "connect never shortens");

        assertEquals(200, E2B.wire().api("POST", "/sandboxes/" + sandbox.id() + "/connect", "{\"timeout\":120}").statusCode());
        assertEquals(120, lifetimeSeconds(json(E2B.wire().api("GET", "/sandboxes/" + sandbox.id(), null))), 1);
        assertEquals(400, E2B.wire().api("POST", "/sandboxes/" + sandbox.id() + "/connect", "{}").statusCode(), "v1 connect needs a timeout");
        assertEquals(404, E2B.wire().api("POST", "/sandboxes/inope/timeout", "{\"timeout\":30}").statusCode());
        E2B.wire().api("DELETE", "/sandboxes/" + sandbox.id(), null);
    }
}
