package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Egress rules over the control plane: kept from create, reported by GET, refused as E2B refuses them. */
class SandboxNetworkApiTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults());

    private static JsonNode detail(WireClient.Sandbox sandbox) {
        HttpResponse<String> response = E2B.wire().api("GET", "/sandboxes/" + sandbox.id(), null);
        assertEquals(200, response.statusCode(), response.body());
        return WireClient.json(response.body());
    }

    private static int created() {
        return WireClient.json(E2B.wire().api("GET", "/_local/stats", null).body()).path("created").asInt();
    }

    @Test
    void getReportsTheRulesTheSandboxWasCreatedWith() {
        WireClient.Sandbox allowList = E2B.wire().create("{\"templateID\":\"base\"," + PipEgressTests.PYPI_ONLY + "}");
        JsonNode detail = detail(allowList);
        assertEquals("null", detail.path("allowInternetAccess").toString());
        assertEquals("{\"allowOut\":[\"pypi.org\",\"files.pythonhosted.org\"],\"denyOut\":[\"0.0.0.0/0\"]}", detail.path("network").toString());

        HttpResponse<String> v1 = E2B.wire().api("POST", "/sandboxes", "{\"templateID\":\"base\",\"allow_internet_access\":false}");
        assertEquals(201, v1.statusCode(), v1.body());
        JsonNode offline = detail(new WireClient.Sandbox(WireClient.json(v1.body()).path("sandboxID").asText(), null));
        assertEquals("false", offline.path("allowInternetAccess").toString());
        assertEquals("{\"allowOut\":[],\"denyOut\":[]}", offline.path("network").toString());
    }

    @Test
    void aDomainInDenyOutIsRefusedWithE2bsErrorOnBothCreateRoutes() {
        int createdBefore = created();
        for (String route : new String[] {"/sandboxes", "/v2/sandboxes"}) {
            HttpResponse<String> response = E2B.wire().api("POST", route, "{\"templateID\":\"base\",\"network\":{\"denyOut\":[\"pypi.org\"]}}");
            assertEquals(400, response.statusCode());
            assertEquals("{\"code\":400,\"message\":\"invalid denied CIDR pypi.org\"}", response.body());
        }
        HttpResponse<String> domainsOnly = E2B.wire().api("POST", "/v2/sandboxes", "{\"templateID\":\"base\",\"network\":{\"allowOut\":[\"pypi.org\"]}}");
        assertEquals(400, domainsOnly.statusCode());
        assertEquals(EgressRules.DOMAINS_NEED_ALL_TRAFFIC_DENIED, WireClient.json(domainsOnly.body()).path("message").asText());
        assertEquals(createdBefore, created(), "nothing was created");
    }

    @Test
    void anUpdateReplacesTheRulesAndIsValidatedAsOnCreate() {
        WireClient.Sandbox sandbox = E2B.wire().create("{\"templateID\":\"base\"," + PipEgressTests.PYPI_ONLY + "}");

        HttpResponse<String> updated = E2B.wire().api("PUT", "/sandboxes/" + sandbox.id() + "/network", "{\"allow_internet_access\":false}");

        assertEquals(204, updated.statusCode(), updated.body());
        JsonNode detail = detail(sandbox);
        assertEquals("false", detail.path("allowInternetAccess").toString());
        assertEquals("{\"allowOut\":[],\"denyOut\":[]}", detail.path("network").toString(), "what the update left out is cleared");
        HttpResponse<String> invalid = E2B.wire().api("PUT", "/sandboxes/" + sandbox.id() + "/network", "{\"denyOut\":[\"pypi.org\"]}");
        assertEquals(400, invalid.statusCode());
        assertEquals("false", detail(sandbox).path("allowInternetAccess").toString(), "a refused update changes nothing");
        assertEquals(404, E2B.wire().api("PUT", "/sandboxes/inope/network", "{}").statusCode());
    }
}
