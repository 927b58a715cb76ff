package dev.e2bjobs.local.e2b;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a local E2B server for a test class and stops it (killing every sandbox) afterwards:
 * {@code @RegisterExtension static final LocalE2bExtension e2b = new LocalE2bExtension(settings);}
 */
final class LocalE2bExtension implements BeforeAllCallback, AfterAllCallback {
    private final LocalE2bSettings settings;
    private LocalE2bServer server;
    private WireClient wire;
    private WireClient.Sandbox shared;

    LocalE2bExtension(LocalE2bSettings settings) {
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = LocalE2bServer.start(settings);
        wire = new WireClient(server);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    LocalE2bServer server() {
        return server;
    }

    WireClient wire() {
        return wire;
    }

    /** One sandbox for the tests of the class that need no sandbox of their own, created at first use, gone with the server. */
    synchronized WireClient.Sandbox sandbox() {
        if (shared == null) {
            shared = wire.create();
        }
        return shared;
    }
}
