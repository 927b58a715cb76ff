package dev.e2bjobs.local.e2b;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PipEgressTests} with sandboxes under bubblewrap (no network at all but the index's directory). */
class BwrapPipEgressTest extends PipEgressTests {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults().withIsolation(Isolation.Mode.BWRAP));

    @Override
    LocalE2bExtension e2b() {
        return E2B;
    }
}
