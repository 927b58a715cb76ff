package dev.e2bjobs.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.sandbox.SandboxRef;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where envd requests go under each routing mode, from the same settings a deployment sets. */
class EnvdRoutingTest {

    private static EnvdClient client(String routing) {
        AppConfig config = new SmallRyeConfigBuilder()
                .withMapping(AppConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's "15s" form
                .withDefaultValues(Map.of(
                        "e2bjobs.e2b.api-key", "e2b_0123",
                        "e2bjobs.e2b.domain", "e2b.app",
                        "e2bjobs.e2b.sandbox-url", "https://sandbox.e2b.app/",
                        "e2bjobs.e2b.sandbox-routing", routing))
                .build()
                .getConfigMapping(AppConfig.class);
        return new EnvdClient(config, new ObjectMapper());
    }

    @Test
    void headerRoutingUsesTheSharedUrlForEverySandbox() {
        assertEquals(URI.create("https://sandbox.e2b.app"), client("headers").baseUri(new SandboxRef("iabc", "t", null)));
    }

    @Test
    void hostRoutingNamesTheSandboxAndItsOwnDomainInTheHost() {
        EnvdClient client = client("host");
        assertEquals(URI.create("https://49983-iabc.e2b.app"), client.baseUri(new SandboxRef("iabc", "t", null)));
        assertEquals(URI.create("https://49983-iabc.eu.e2b.dev"), client.baseUri(new SandboxRef("iabc", "t", "eu.e2b.dev")));
    }
}
