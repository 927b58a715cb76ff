package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official E2B JS SDK from the npm registry (pinned in src/test/js/e2b-sdk/package-lock.json),
 * unmodified, runs its everyday calls against the local server (compat.test.mjs), finds a sandbox
 * that behaves like one machine (machine.test.mjs) and keeps its files in snapshots (snapshot.test.mjs).
 */
class E2bSdkCompatibilityTest {
    @Test
    void theOfficialJsSdkWorksAgainstTheLocalServer() throws Exception {
        OfficialSdk.install();
        try (LocalE2bServer server = LocalE2bServer.start(LocalE2bSettings.defaults())) {
            OfficialSdk.Result result = OfficialSdk.run(List.of("node", "--test", "--test-reporter=spec", "compat.test.mjs", "machine.test.mjs", "snapshot.test.mjs"), Map.of(
                    "E2B_API_KEY", WireClient.API_KEY,
                    "E2B_API_URL", server.url(),
                    "E2B_SANDBOX_URL", server.url(),
                    "E2B_DOMAIN", "localhost:" + server.port()), 300);
            System.out.println(result.output());
            assertEquals(0, result.exitCode(), result.output());
            assertTrue(result.output().contains("pass 23"), "all twenty-three SDK checks ran:\n" + result.output());
        }
    }
}
