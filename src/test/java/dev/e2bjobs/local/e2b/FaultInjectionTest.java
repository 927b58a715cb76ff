package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.local.e2b.FaultInjector.Fault;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Injected faults hit only the route families they are set for, with E2B's error shapes. */
class FaultInjectionTest {

    @Test
    void flagsSetTheSameFaultOnTheChosenFamilies() {
        LocalE2bSettings settings = LocalE2bSettings.parse("--fail-rate", "0.3", "--fail-status", "429,503", "--latency-ms", "20",
                "--fault-routes", "control,files");
        Fault expected = new Fault(0.3, List.of(429, 503), 20);
        assertEquals(Map.of(RouteFamily.CONTROL, expected, RouteFamily.FILES, expected), settings.faults());
        assertThrows(IllegalArgumentException.class, () -> LocalE2bSettings.parse("--fail-rate", "1.5"));
        assertThrows(IllegalArgumentException.class, () -> LocalE2bSettings.parse("--fail-rate", "0.5", "--fail-status", "404"));
        assertThrows(IllegalArgumentException.class, () -> LocalE2bSettings.parse("--no-such-flag", "1"));
    }

    @Test
    void everyControlPlaneCallFailsWhileEnvdIsUntouched() throws Exception {
        try (LocalE2bServer server = LocalE2bServer.start(LocalE2bSettings.defaults())) {
            WireClient wire = new WireClient(server);
            WireClient.Sandbox sandbox = wire.create();

            server.faults().set(RouteFamily.CONTROL, new Fault(1.0, List.of(429), 0));
            HttpResponse<String> limited = wire.api("POST", "/v2/sandboxes", "{\"templateID\":\"base\"}");
            assertEquals(429, limited.statusCode());
            assertEquals(429, WireClient.json(limited.body()).path("code").asInt());
            assertEquals("1", limited.headers().firstValue("Retry-After").orElseThrow());
            assertEquals("ok\n", WireClient.output(wire.run(sandbox, "echo ok"), "stdout"), "envd is another family");

            server.faults().set(RouteFamily.CONTROL, new Fault(1.0, List.of(503), 0));
            HttpResponse<String> unavailable = wire.api("GET", "/sandboxes/" + sandbox.id(), null);
            assertEquals(503, unavailable.statusCode());
            assertEquals(503, WireClient.json(unavailable.body()).path("code").asInt());

            server.faults().clear();
            assertEquals(200, wire.api("GET", "/sandboxes/" + sandbox.id(), null).statusCode());
        }
    }

    @Test
    void aPartialFailRateFailsSomeCallsAndPassesOthers() throws Exception {
        try (LocalE2bServer server = LocalE2bServer.start(LocalE2bSettings.defaults())) {
            WireClient wire = new WireClient(server);
            WireClient.Sandbox sandbox = wire.create();
            server.faults().set(RouteFamily.RPC, new Fault(0.5, List.of(500, 502), 0));
            int failed = 0;
            for (int i = 0; i < 60; i++) {
                int status = wire.unary(sandbox, "process.Process/List", "{}").statusCode();
                assertTrue(status == 200 || status == 500 || status == 502, "status " + status);
                failed += status == 200 ? 0 : 1;
            }
            // Binomial(60, 0.5): outside 10..50 has a probability below 1e-7.
            assertTrue(failed > 10 && failed < 50, failed + " of 60 failed");
        }
    }

    @Test
    void aLostAnswerTakesEffectAndALimitedFaultWearsOff() throws Exception {
        try (LocalE2bServer server = LocalE2bServer.start(LocalE2bSettings.defaults())) {
            WireClient wire = new WireClient(server);
            LocalE2bAdmin admin = new LocalE2bAdmin(server.url());
            long before = admin.requests(RouteFamily.CONTROL);
            admin.loseAnswers(RouteFamily.CONTROL, 503, 1);

            HttpResponse<String> lost = wire.api("POST", "/v2/sandboxes", "{\"templateID\":\"base\",\"metadata\":{\"run\":\"lost\"}}");
            assertEquals(503, lost.statusCode());
            HttpResponse<String> listed = wire.api("GET", "/v2/sandboxes?metadata=run%3Dlost", null);
            assertEquals(1, WireClient.json(listed.body()).size(), "the create took effect: " + listed.body());
            assertEquals(2, admin.requests(RouteFamily.CONTROL) - before);

            String create = "{\"templateID\":\"base\"}";
            assertEquals(201, wire.api("POST", "/v2/sandboxes", create).statusCode(), "the one-time fault wore off");
            admin.fail(RouteFamily.CONTROL, 1.0, List.of(500), 0);
            assertEquals(500, wire.api("POST", "/v2/sandboxes", create).statusCode());
            admin.clear();
            assertEquals(201, wire.api("POST", "/v2/sandboxes", create).statusCode());
        }
    }
}
