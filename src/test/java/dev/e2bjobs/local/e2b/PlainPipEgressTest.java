package dev.e2bjobs.local.e2b;

import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PipEgressTests} with plain sandboxes (--isolation none), forced on machines with bubblewrap too. */
class PlainPipEgressTest extends PipEgressTests {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults().withIsolation(Isolation.Mode.NONE));

    @Override
    LocalE2bExtension e2b() {
        return E2B;
    }
}
