package dev.e2bjobs.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.e2b.LocalE2bResource;
import dev.e2bjobs.local.e2b.RouteFamily;
import dev.e2bjobs.sandbox.SandboxNotFoundException;
import dev.e2bjobs.sandbox.SandboxRateLimitedException;
import dev.e2bjobs.sandbox.SandboxRequestInvalidException;
import dev.e2bjobs.sandbox.SandboxUnavailableException;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The control-plane REST client against the local E2B server. */
@QuarkusTest
@WithTestResource(LocalE2bResource.class)
class E2bApiTest {

    @RestClient
    E2bApi api;

    @ConfigProperty(name = "quarkus.rest-client.e2b-api.url")
    String e2bUrl;

    private final List<String> created = new ArrayList<>();

    @AfterEach
    void killWhatTheTestCreated() {
        new LocalE2bAdmin(e2bUrl).clear();
        for (String id : created) {
            try {
                api.kill(id);
            } catch (SandboxNotFoundException alreadyGone) {
                // the test killed it itself
            }
        }
    }

    private E2bApi.Sandbox create(int timeoutSeconds, Map<String, String> metadata) {
        E2bApi.Sandbox sandbox = api.create(new E2bApi.NewSandbox("base", timeoutSeconds, metadata, Map.of("GREETING", "hi"), false, null, false));
        created.add(sandbox.sandboxID());
        return sandbox;
    }

    @Test
    void createdSandboxIsDescribedAsAsked() {
        Instant before = Instant.now();
        E2bApi.Sandbox sandbox = create(120, Map.of("e2bjobs.jobId", "job-1", "team", "data science"));
        assertTrue(sandbox.sandboxID().matches("[a-z0-9]+"), sandbox.sandboxID());
        assertNotNull(sandbox.envdAccessToken(), "v2 create always issues an envd token");

        E2bApi.SandboxDetail detail = api.get(sandbox.sandboxID());
        assertEquals("base", detail.templateID());
        assertEquals("running", detail.state());
        assertEquals(Map.of("e2bjobs.jobId", "job-1", "team", "data science"), detail.metadata());
        Duration lifetime = Duration.between(before, detail.endAt());
        assertTrue(lifetime.compareTo(Duration.ofSeconds(118)) > 0 && lifetime.compareTo(Duration.ofSeconds(122)) < 0, lifetime.toString());
    }

    @Test
    void listFindsExactlyTheSandboxesWhoseMetadataMatchesEvenWithAwkwardCharacters() {
        String run = UUID.randomUUID().toString();
        // characters that each break one of the three encoding layers if it is done wrong
        String awkward = "a b&c=d%25e+f/ü?#";
        E2bApi.Sandbox match = create(60, Map.of("run", run, "k&=", awkward));
        create(60, Map.of("run", run, "k&=", "a b&c=d%e+f/ü?#"));
        create(60, Map.of("run", run));

        RestResponse<List<E2bApi.SandboxDetail>> page = api.list(E2bApi.metadataQuery(Map.of("run", run, "k&=", awkward)),
                E2bApi.RUNNING_AND_PAUSED, null, null);
        assertEquals(List.of(match.sandboxID()), page.getEntity().stream().map(E2bApi.SandboxDetail::sandboxID).toList());
    }

    @Test
    void listPagesThroughTheNextToken() {
        String run = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            create(60, Map.of("run", run));
        }
        String filter = E2bApi.metadataQuery(Map.of("run", run));
        RestResponse<List<E2bApi.SandboxDetail>> first = api.list(filter, E2bApi.RUNNING_AND_PAUSED, 2, null);
        assertEquals(2, first.getEntity().size());
        String token = first.getHeaderString(E2bApi.NEXT_TOKEN);
        assertNotNull(token);
        RestResponse<List<E2bApi.SandboxDetail>> second = api.list(filter, E2bApi.RUNNING_AND_PAUSED, 2, token);
        assertEquals(1, second.getEntity().size());
        assertNull(second.getHeaderString(E2bApi.NEXT_TOKEN));
        assertFalse(first.getEntity().stream().anyMatch(s -> s.sandboxID().equals(second.getEntity().get(0).sandboxID())));
    }

    @Test
    void setTimeoutShortensAndConnectExtendsWithAFreshAnswer() {
        E2bApi.Sandbox sandbox = create(300, Map.of());
        api.setTimeout(sandbox.sandboxID(), new E2bApi.SandboxTimeout(30));
        Duration left = Duration.between(Instant.now(), api.get(sandbox.sandboxID()).endAt());
        assertTrue(left.compareTo(Duration.ofSeconds(31)) < 0, "shortened to " + left);

        E2bApi.Sandbox connected = api.connect(sandbox.sandboxID(), new E2bApi.SandboxTimeout(600));
        assertEquals(sandbox.sandboxID(), connected.sandboxID());
        assertNotNull(connected.envdAccessToken());
        Duration extended = Duration.between(Instant.now(), api.get(sandbox.sandboxID()).endAt());
        assertTrue(extended.compareTo(Duration.ofSeconds(590)) > 0, "extended to " + extended);
    }

    @Test
    void aKilledSandboxIsNotFoundAnyMore() {
        E2bApi.Sandbox sandbox = create(60, Map.of());
        api.kill(sandbox.sandboxID());
        assertThrows(SandboxNotFoundException.class, () -> api.get(sandbox.sandboxID()));
        assertThrows(SandboxNotFoundException.class, () -> api.kill(sandbox.sandboxID()));
        assertThrows(SandboxNotFoundException.class, () -> api.setTimeout(sandbox.sandboxID(), new E2bApi.SandboxTimeout(10)));
    }

    @Test
    void errorAnswersBecomeTheirFailureModes() {
        SandboxRequestInvalidException tooLong = assertThrows(SandboxRequestInvalidException.class,
                () -> create(10_000_000, Map.of()));
        assertTrue(tooLong.getMessage().contains("400"), tooLong.getMessage());

        LocalE2bAdmin admin = new LocalE2bAdmin(e2bUrl);
        admin.fail(RouteFamily.CONTROL, 1.0, List.of(429), 0);
        SandboxRateLimitedException limited = assertThrows(SandboxRateLimitedException.class, () -> api.get("inothere"));
        assertEquals(Duration.ofSeconds(1), limited.retryAfter().orElseThrow());

        admin.fail(RouteFamily.CONTROL, 1.0, List.of(503), 0);
        assertThrows(SandboxUnavailableException.class, () -> api.get("inothere"));
    }
}
