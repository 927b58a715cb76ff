package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Callbacks go to public https targets only: no plain http, no user info, no private, loopback or metadata address. */
class CallbackTargetsTest {
    private final FakeWeb web = new FakeWeb();
    private final CallbackTargets targets = new CallbackTargets(web, Set.of("https://localhost:8443"));

    @Test
    void aPublicHttpsUrlIsCheckedAndPinnedToTheAddressItResolvedTo() {
        CallbackTargets.Target target = targets.check("https://hooks.example.com/e2b?token=abc");
        assertEquals("93.184.216.34", target.address().getHostAddress());
        assertEquals(443, target.url().getPort());
        assertEquals("/e2b", target.url().getRawPath());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hooks.example.com/", "ftp://hooks.example.com/", "https://user:pass@hooks.example.com/",
        "https://169.254.169.254/latest/meta-data", "https://10.0.0.1/", "https://172.16.5.4/", "https://192.168.1.1/",
        "https://127.0.0.1/", "https://[::1]/", "https://100.64.0.1/", "https://[fd00::1]/", "https://0.0.0.0/",
        "https://[::ffff:127.0.0.1]/", "https://[::ffff:a9fe:a9fe]/",
        "https://rebinding.example.com/", "https://nowhere.example.com/", "not a url", "https:///path-only"})
    void anythingElseIsCallbackUrlInvalid(String url) {
        web.resolves("rebinding.example.com", "127.0.0.1");
        assertEquals("CALLBACK_URL_INVALID", assertThrows(InvalidJobRequestException.class, () -> targets.check(url)).code());
    }

    @Test
    void theTestReceiversOriginOnLoopbackIsAllowedAndNoOtherPort() {
        web.resolves("localhost", "127.0.0.1");
        assertEquals("127.0.0.1", targets.check("https://localhost:8443/hook").address().getHostAddress());
        assertThrows(InvalidJobRequestException.class, () -> targets.check("https://localhost:8444/hook"));
    }
}
