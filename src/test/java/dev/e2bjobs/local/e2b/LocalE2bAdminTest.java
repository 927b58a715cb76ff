package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What tests in another class loader learn and change through the admin API: create requests, the API key. */
class LocalE2bAdminTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults().withApiKey(WireClient.API_KEY));
    private static final String JOB_ID = "e2bjobs.jobId";

    private static LocalE2bAdmin admin() {
        return new LocalE2bAdmin(E2B.server().url());
    }

    private static int listWith(String apiKey) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(E2B.server().url() + "/v2/sandboxes")).header("X-API-Key", apiKey).GET().build();
        HttpResponse<String> response = E2B.wire().send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401) {
            assertEquals(401, WireClient.json(response.body()).path("code").asInt(), response.body());
        }
        return response.statusCode();
    }

    @Test
    void createRequestsAreTheBodiesClientsSentNewestLastRefusedOnesToo() {
        String v1 = "{\"templateID\":\"base\",\"metadata\":{\"" + JOB_ID + "\":\"job-7\"},\"allow_internet_access\":false,\"secure\":true}";
        String v2 = "{\"templateID\":\"base\",\"metadata\":{\"" + JOB_ID + "\":\"job-7\",\"try\":\"2\"}," + PipEgressTests.PYPI_ONLY + "}";
        String refused = "{\"templateID\":\"base\",\"metadata\":{\"" + JOB_ID + "\":\"job-8\"},\"network\":{\"denyOut\":[\"pypi.org\"]}}";
        assertEquals(201, E2B.wire().api("POST", "/sandboxes", v1).statusCode());
        assertEquals(201, E2B.wire().api("POST", "/v2/sandboxes", v2).statusCode());
        assertEquals(400, E2B.wire().api("POST", "/v2/sandboxes", refused).statusCode());

        List<JsonNode> bodies = admin().createRequests();
        assertEquals(List.of(WireClient.json(v1), WireClient.json(v2), WireClient.json(refused)), bodies.subList(bodies.size() - 3, bodies.size()));
        assertEquals(Optional.of(WireClient.json(v2)), admin().lastCreateRequest(JOB_ID, "job-7"));
        assertEquals(Optional.empty(), admin().lastCreateRequest(JOB_ID, "job-9"));
    }

    @Test
    void onlyTheLastHundredCreateRequestsAreKept() {
        for (int i = 0; i < CreateRequests.KEPT + 5; i++) {
            assertEquals(400, E2B.wire().api("POST", "/v2/sandboxes", "{\"n\":" + i + "}").statusCode());
        }
        List<JsonNode> bodies = admin().createRequests();
        assertEquals(CreateRequests.KEPT, bodies.size());
        assertEquals("{\"n\":5}", bodies.get(0).toString());
        assertEquals("{\"n\":104}", bodies.get(CreateRequests.KEPT - 1).toString());
    }

    @Test
    void aNewApiKeyLocksTheOldOneOut() {
        String newKey = "e2b_00000000000000000000000000000beef";
        assertEquals(401, listWith(newKey));
        admin().setApiKey(newKey);
        try {
            assertEquals(401, listWith(WireClient.API_KEY));
            assertEquals(200, listWith(newKey));
            assertThrows(IllegalStateException.class, () -> admin().setApiKey("not-a-key"), "a key no client could send is refused");
            assertEquals(200, listWith(newKey));
        } finally {
            admin().setApiKey(WireClient.API_KEY);
        }
        assertEquals(200, listWith(WireClient.API_KEY));
    }
}
