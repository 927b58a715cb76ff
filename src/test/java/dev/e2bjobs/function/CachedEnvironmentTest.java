package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.environment.Environment;
import dev.e2bjobs.environment.EnvironmentCache;
import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobLauncher;
import dev.e2bjobs.job.JobRequest;
import dev.e2bjobs.job.Runner;
import dev.e2bjobs.sandbox.SandboxGateway;
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

    static JsonNode run(ObjectNode body) {
        return StatusFunctionTest.ended(StatusFunctionTest.started(Lambda.JSON.convertValue(body, JobBody.class).toRequest()));
    }

    static ObjectNode probeJob(String requirement) {
        ObjectNode body = Jobs.python("import os, e2bjobs_probe\nprint(e2bjobs_probe.VALUE)\n"
                + "print('installed here:', os.path.exists('" + Runner.META + "/install.log'))\n");
        body.putArray("dependencies").add(requirement);
        return body;
    }

    /** Finishes builds as the sweep does, until the owner's environment with this requirement is ready. */
    static Environment awaitReady(String requirement) throws InterruptedException {
        EnvironmentCache cache = Beans.of(EnvironmentCache.class);
        for (int i = 0; i < 300; i++) {
            cache.finishBuilds(cache.all());
            List<Environment> ready = cache.of(Jobs.OWNER).stream()
                    .filter(e -> e.state() == Environment.State.READY && e.key().requirements().equals(List.of(requirement))).toList();
            if (!ready.isEmpty()) {
                return ready.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no environment became ready: " + cache.of(Jobs.OWNER));
    }

    @Test
    void theSecondJobStartsFromTheBuiltEnvironmentAndInstallsNothing() throws Exception {
        ObjectNode body = probeJob("e2bjobs-probe");

        JsonNode first = run(body);
        assertEquals("SUCCEEDED", first.path("status").asText(), first.toString());
        assertFalse(first.path("environment").path("cached").asBoolean(true), "the first job installed inline");
        assertEquals("42\ninstalled here: True\n", first.path("stdout").path("text").asText());
        Environment ready = awaitReady("e2bjobs-probe");
        assertEquals(ready.id(), first.path("environment").path("id").asText());
        assertTrue(ready.frozen().lines().anyMatch("e2bjobs-probe==1.0.0"::equals), ready.frozen());

        long indexReads = e2b.indexReads();
        JsonNode second = run(body);
        assertEquals("SUCCEEDED", second.path("status").asText(), second.toString());
        assertEquals("42\ninstalled here: False\n", second.path("stdout").path("text").asText(), "no install log: pip never ran");
        assertEquals(indexReads, e2b.indexReads(), "the package index saw no request for the second job");
        assertEquals("{\"id\":\"" + ready.id() + "\",\"cached\":true}", second.path("environment").toString());
    }

    @Test
    void tenJobsWithANewEnvironmentAtOnceHaveOneBuilder() {
        JobIntake intake = Beans.of(JobIntake.class);
        JobRequest request = Lambda.JSON.convertValue(probeJob("e2bjobs-probe==1.0.0"), JobBody.class).toRequest();
        List<String> jobIds = java.util.stream.IntStream.range(0, 10).mapToObj(i -> intake.submit(Jobs.OWNER, request, null).jobId()).toList();
        Beans.of(JobLauncher.class).launch(jobIds);

        String environment = Beans.of(EnvironmentCache.class).of(Jobs.OWNER).stream()
                .filter(e -> e.key().requirements().equals(List.of("e2bjobs-probe==1.0.0"))).findFirst().orElseThrow().id();
        assertEquals(1, e2b.createdPer(EnvironmentCache.ENVIRONMENT_KEY).get(environment), "one builder sandbox");
        jobIds.forEach(jobId -> assertEquals("SUCCEEDED", StatusFunctionTest.ended(jobId).path("status").asText()));
    }

    @Test
    void aJobWhoseEnvironmentLostItsSnapshotInstallsInlineAndSucceeds() throws Exception {
        ObjectNode body = probeJob("e2bjobs-probe>=1.0");
        run(body);
        Environment ready = awaitReady("e2bjobs-probe>=1.0");
        assertTrue(Beans.of(SandboxGateway.class).deleteSnapshot(ready.id()), "E2B loses the snapshot");

        JsonNode job = run(body);
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals("42\ninstalled here: True\n", job.path("stdout").path("text").asText());
        assertTrue(Beans.of(EnvironmentCache.class).of(Jobs.OWNER).stream().noneMatch(e -> e.id().equals(ready.id())),
                "the environment without a snapshot is gone; the next job builds it again");
    }
}
