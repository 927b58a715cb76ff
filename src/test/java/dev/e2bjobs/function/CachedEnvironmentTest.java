package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.environment.Environment;
import dev.e2bjobs.environment.EnvironmentCache;
import dev.e2bjobs.local.StandIn;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jobs with the same requirements: the first installs them inline while its environment is built; the next start from it. */
@QuarkusTest
@TestProfile(StatusFunctionTest.Status.class)
class CachedEnvironmentTest {
    @StandIn
    LocalE2bAdmin e2b;

    private static JsonNode run(ObjectNode body) {
        return StatusFunctionTest.ended(StatusFunctionTest.started(Lambda.JSON.convertValue(body, JobBody.class).toRequest()));
    }

    /** Finishes builds as the sweep does, until the owner's environment is ready. */
    private static Environment awaitReady() throws InterruptedException {
        EnvironmentCache cache = Beans.of(EnvironmentCache.class);
        for (int i = 0; i < 300; i++) {
            cache.finishBuilds();
            List<Environment> ready = cache.of(Jobs.OWNER).stream().filter(e -> e.state() == Environment.State.READY).toList();
            if (!ready.isEmpty()) {
                return ready.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no environment became ready: " + cache.of(Jobs.OWNER));
    }

    @Test
    void theSecondJobStartsFromTheBuiltEnvironmentAndInstallsNothing() throws Exception {
        ObjectNode body = Jobs.python("import e2bjobs_probe\nprint(e2bjobs_probe.VALUE)\n");
        body.putArray("dependencies").add("e2bjobs-probe");

        JsonNode first = run(body);
        assertEquals("SUCCEEDED", first.path("status").asText(), first.toString());
        Environment ready = awaitReady();
        assertTrue(ready.frozen().lines().anyMatch("e2bjobs-probe==1.0.0"::equals), ready.frozen());

        long indexReads = e2b.indexReads();
        JsonNode second = run(body);
        assertEquals("SUCCEEDED", second.path("status").asText(), second.toString());
        assertEquals("42\n", second.path("stdout").path("text").asText());
        assertEquals(indexReads, e2b.indexReads(), "the package index saw no request for the second job");
    }
}
