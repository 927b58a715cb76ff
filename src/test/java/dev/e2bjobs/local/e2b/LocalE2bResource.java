package dev.e2bjobs.local.e2b;

import dev.e2bjobs.local.StandIn;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts the local E2B server on a free loopback port for a Quarkus test run, points the E2B client
 * at it (control plane and envd on the same URL, routed by headers) and stops it afterwards, which
 * kills every sandbox. Only this key is accepted, so a client that sends another one gets 401.
 */
public class LocalE2bResource implements QuarkusTestResourceLifecycleManager {
    public static final String API_KEY = WireClient.API_KEY;
    private LocalE2bServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = LocalE2bServer.start(LocalE2bSettings.defaults().withApiKey(API_KEY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quarkus.rest-client.e2b-api.url", server.url(),
                "e2bjobs.e2b.sandbox-url", server.url(),
                "e2bjobs.e2b.sandbox-routing", "headers",
                "e2bjobs.e2b.api-key", API_KEY);
    }

    /** Fills {@code @StandIn LocalE2bAdmin} fields: the server's admin API (faults, request counts, sandboxes made). */
    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new LocalE2bAdmin(server.url()), new TestInjector.AnnotatedAndMatchesType(StandIn.class, LocalE2bAdmin.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
