package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.e2b.ConnectEnvelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index's flags: extra wheels served beside the probe, and the host names the index counts as hosted at. */
class PackageIndexTest {

    @Test
    void theFlagsNameHostsAndAnExistingDirectory(@TempDir Path wheels) {
        assertEquals(new LocalE2bSettings.Packages(List.of("pypi.org", "files.pythonhosted.org"), null), LocalE2bSettings.parse().packages());
        assertEquals(new LocalE2bSettings.Packages(List.of("a.example", "b.example"), wheels),
                LocalE2bSettings.parse("--index-hosts", "a.example, b.example", "--wheels-dir", wheels.toString()).packages());
        assertThrows(IllegalArgumentException.class, () -> LocalE2bSettings.parse("--index-hosts", ","));
        assertThrows(IllegalArgumentException.class, () -> LocalE2bSettings.parse("--wheels-dir", wheels.resolve("missing").toString()));
    }

    @Test
    void extraWheelsAreServedToSandboxesThatReachTheIndexHostsGiven(@TempDir Path wheels) throws Exception {
        Wheel extra = Wheel.pure("extra-pkg", "2.0", Map.of("extra_pkg.py", "NAME = 'extra'\n"));
        Files.write(wheels.resolve(extra.fileName()), extra.bytes());
        LocalE2bSettings settings = LocalE2bSettings.parse("--index-hosts", "mirror.internal", "--wheels-dir", wheels.toString());
        try (LocalE2bServer server = LocalE2bServer.start(settings)) {
            WireClient wire = new WireClient(server);
            WireClient.Sandbox mirror = wire.create("{\"templateID\":\"base\",\"network\":{\"allowOut\":[\"mirror.internal\"],\"denyOut\":[\"0.0.0.0/0\"]}}");
            List<ConnectEnvelope> installed = wire.run(mirror, "python -m pip install --no-input extra-pkg e2bjobs-probe");
            assertEquals(0, WireClient.end(installed).path("exitCode").asInt(0), WireClient.output(installed, "stderr"));
            List<ConnectEnvelope> imported = wire.run(mirror, "python -c 'import extra_pkg, e2bjobs_probe; print(extra_pkg.NAME, e2bjobs_probe.VALUE)'");
            assertEquals("extra 42\n", WireClient.output(imported, "stdout"));

            WireClient.Sandbox pypi = wire.create("{\"templateID\":\"base\"," + PipEgressTests.PYPI_ONLY + "}");
            List<ConnectEnvelope> refused = wire.run(pypi, "python -m pip install --no-input extra-pkg");
            assertNotEquals(0, WireClient.end(refused).path("exitCode").asInt(0));
            assertTrue(WireClient.output(refused, "stderr").contains("No matching distribution found for extra-pkg"),
                    WireClient.output(refused, "stderr"));
        }
    }
}
