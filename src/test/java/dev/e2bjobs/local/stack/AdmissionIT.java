package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.e2bjobs.dynamodb.DynamoDbJobStore;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.e2b.RouteFamily;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Admission on the whole local stack with a cap of 5 sandboxes: submits that never wait on E2B, even
 * while it is down, and launches racing from several launch instances that never hold more than the
 * cap. One stack serves both tests.
 */
class AdmissionIT {
    private static final int CAP = 5;
    private static LocalStack stack;
    private static StackClient jobs;
    private static LocalE2bAdmin e2b;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack();
        stack.start(StackOptions.forTests()
                .withSetting("E2BJOBS_JOBS_MAX_CONCURRENT_SANDBOXES", String.valueOf(CAP))
                // E2B is down on purpose here: retry quickly, and let the breaker try again soon after it is back
                .withQuickRetries()
                .withSetting("E2BJOBS_E2B_CIRCUIT_BREAKER_OPEN_FOR", "2s")
                .withSetting("E2BJOBS_LAUNCH_FIRST_BACKOFF", "1s")
                .withSetting("E2BJOBS_LAUNCH_MAX_BACKOFF", "4s"));
        jobs = new StackClient(stack);
        e2b = new LocalE2bAdmin(stack.e2bUrl());
    }

    @AfterAll
    static void stop() {
        stack.close();
        assertFalse(stack.anyProcessAlive());
    }

    private static int slotsHeld() {
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(URI.create(stack.dynamoDbUrl())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            return new DynamoDbJobStore(dynamo, "e2b-jobs", Duration.ofDays(1)).slotsHeld();
        }
    }

    @Test
    void whileE2bIsDownSubmitsStillQueueAndOnceItIsBackEveryJobRuns() throws Exception {
        List<String> ids = new ArrayList<>();
        try {
            e2b.fail(RouteFamily.CONTROL, 1.0, List.of(503), 0);
            JsonNode single = jobs.submit(StackClient.pythonJob("outage", "single", 0));
            JsonNode twenty = jobs.batch(Collections.nCopies(20, StackClient.pythonJob("outage", "batch", 0)));
            assertEquals("QUEUED", single.path("status").asText());
            twenty.forEach(job -> assertEquals("QUEUED", job.path("status").asText()));
            ids.add(single.path("jobId").asText());
            ids.addAll(StackClient.ids(twenty));
        } finally {
            e2b.clear();
        }

        // no new request: the launches' backoff and the sweep start them, the sweep finalizes them
        StackClient.eventually("all 21 jobs SUCCEEDED", Duration.ofSeconds(90),
                () -> jobs.statuses("t:outage").stream().filter("SUCCEEDED"::equals).count() == 21);
        assertEquals(21, jobs.statuses("t:outage").size());
    }

    @Test
    void fiftyJobsUnderACapOfFiveNeverHoldMoreSandboxesThanTheCap() throws Exception {
        StackClient.eventually("the other test's jobs are done", Duration.ofSeconds(90), () -> slotsHeld() == 0);
        e2b.resetStats();
        List<String> ids = StackClient.concurrently(Collections.nCopies(50, "race"), 8,
                label -> jobs.submit(StackClient.pythonJob(label, "job", 0.3)).path("jobId").asText());

        List<JsonNode> ended = jobs.allEnded(ids, 8);

        ended.forEach(job -> assertEquals("SUCCEEDED", job.path("status").asText(), job.toString()));
        assertTrue(e2b.peakRunning() <= CAP, "the E2B server saw " + e2b.peakRunning() + " sandboxes at once");
        assertTrue(stack.instanceCounts().get("launch") > 1, "launches raced from several instances: " + stack.instanceCounts());
        StackClient.eventually("every slot given back", Duration.ofSeconds(15), () -> slotsHeld() == 0);
    }
}
