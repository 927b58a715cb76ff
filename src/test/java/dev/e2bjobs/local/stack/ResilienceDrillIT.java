package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.e2b.RouteFamily;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The resilience drill: 100 jobs through the whole local stack while every E2B route family fails 30 %
 * of its requests (429 or 503) and answers 200 ms late. Nothing may be lost: every job SUCCEEDED with
 * its result, no job ever got a second sandbox, and once the faults stop, no sandbox is left.
 */
class ResilienceDrillIT {
    private static final int JOBS = 100;
    private static LocalStack stack;
    private static StackClient jobs;
    private static LocalE2bAdmin e2b;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack();
        // Enough quick retries that one E2B call almost never exhausts them at a 30 % failure rate
        // (0.3^13), and a breaker window wide enough that such a rate cannot open it by chance: a
        // start that gives up kills its sandbox and makes a second one, which this drill forbids.
        stack.start(StackOptions.forTests().withQuickRetries()
                .withSetting("E2BJOBS_E2B_RETRY_MAX_RETRIES", "12")
                .withSetting("E2BJOBS_E2B_CIRCUIT_BREAKER_REQUEST_VOLUME", "40"));
        jobs = new StackClient(stack);
        e2b = new LocalE2bAdmin(stack.e2bUrl());
    }

    @AfterAll
    static void stop() {
        stack.close();
        assertFalse(stack.anyProcessAlive());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aHundredJobsThroughThirtyPercentFaultsAndAddedLatencyAllSucceedWithOneSandboxEach() throws Exception {
        List<String> ids = new ArrayList<>();
        try {
            for (RouteFamily family : RouteFamily.values()) {
                e2b.fail(family, 0.3, List.of(429, 503), 200);
            }
            for (int batch = 0; batch < JOBS / 20; batch++) {
                List<String> bodies = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    bodies.add(StackClient.pythonJob("drill", "job-" + (batch * 20 + i), 0));
                }
                ids.addAll(StackClient.ids(jobs.batch(bodies)));
            }
            List<JsonNode> ended = jobs.allEnded(ids, 8);

            for (int i = 0; i < JOBS; i++) {
                JsonNode job = ended.get(i);
                assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
                assertEquals("{\"tag\": \"job-" + i + "\"}", job.path("results").get(0).path("content").asText(), job.toString());
            }
            Map<String, Integer> created = e2b.createdPer("e2bjobs.jobId");
            assertEquals(JOBS, ids.stream().filter(created::containsKey).count(), "every job had a sandbox");
            assertTrue(ids.stream().allMatch(id -> created.get(id) == 1), "no job had a second sandbox: " + created);
        } finally {
            e2b.clear();
        }
        StackClient.eventually("no sandbox is left once the sweep ran without faults", Duration.ofSeconds(15), () -> e2b.running() == 0);
    }
}
