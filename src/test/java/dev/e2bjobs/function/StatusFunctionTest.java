package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobRequest;
import dev.e2bjobs.job.JobService;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.job.JobView;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxSpec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** GET /jobs/{jobId} and GET /jobs through the Lambda mock event server. */
@QuarkusTest
@TestProfile(StatusFunctionTest.Status.class)
class StatusFunctionTest {

    public static class Status extends Jobs.Profile {
        @Override
        String function() {
            return "status";
        }
    }

    private static final String OWNER = "anonymous";

    @Inject
    JobService jobs;

    @Inject
    JobStore store;

    @Inject
    SandboxGateway sandboxes;

    private Lambda.Answer get(String jobId) {
        return Lambda.http("http-api-get-job.json", Lambda.jobId(jobId));
    }

    /** Polls GET /jobs/{id} until the job is terminal. */
    private Lambda.Answer awaitTerminal(String jobId) throws InterruptedException {
        Lambda.Answer answer = get(jobId);
        for (int i = 0; i < 150 && !List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED").contains(answer.body().path("status").asText()); i++) {
            Thread.sleep(100);
            answer = get(jobId);
        }
        return answer;
    }

    @Test
    void aRunningJobIsFinalizedWhenItsStatusIsAskedFor() throws Exception {
        JobView submitted = jobs.submit(OWNER, Jobs.request("import time\ntime.sleep(0.5)\nprint('hello')"), null, Duration.ZERO);
        assertEquals("RUNNING", submitted.status().name());

        Lambda.Answer done = awaitTerminal(submitted.jobId());
        assertEquals(200, done.status());
        assertEquals("SUCCEEDED", done.body().path("status").asText(), done.body().toString());
        assertEquals("hello\n", done.body().path("stdout").path("text").asText());
        assertEquals(false, done.body().path("stdout").path("truncated").asBoolean());
        assertTrue(done.body().path("durationMs").asLong() > 0);
        assertEquals(0, sandboxes.listOwned(Map.of(SandboxSpec.JOB_ID_KEY, submitted.jobId())).size());
    }

    @Test
    void aSleepingProgramPastItsTimeoutIsTimedOutAndItsSandboxGone() throws Exception {
        JobRequest sleeper = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("import time\ntime.sleep(60)\n")),
                "python main.py", null, null, null, 1, null, null);
        JobView submitted = jobs.submit(OWNER, sleeper, null, Duration.ZERO);

        Lambda.Answer done = awaitTerminal(submitted.jobId());
        assertEquals("TIMED_OUT", done.body().path("status").asText(), done.body().toString());
        assertEquals(0, sandboxes.listOwned(Map.of(SandboxSpec.JOB_ID_KEY, submitted.jobId())).size());
    }

    @Test
    void aJobWhoseSandboxVanishedFailsAsSandboxLost() throws Exception {
        JobView submitted = jobs.submit(OWNER, Jobs.request("import time\ntime.sleep(60)\n"), null, Duration.ZERO);
        sandboxes.kill(store.find(submitted.jobId()).orElseThrow().sandbox().sandboxId());

        Lambda.Answer lost = get(submitted.jobId());
        assertEquals("FAILED", lost.body().path("status").asText(), lost.body().toString());
        assertEquals("SANDBOX_LOST", lost.body().path("error").path("code").asText());
    }

    @Test
    void twoRacingFinalizationsProduceOneResult() throws Exception {
        JobView submitted = jobs.submit(OWNER, Jobs.request("import time, uuid\ntime.sleep(0.5)\nprint(uuid.uuid4())"), null, Duration.ZERO);
        Jobs.awaitRunnerDone(store, sandboxes, submitted.jobId());
        Job finishedUnnoticed = store.find(submitted.jobId()).orElseThrow();
        assertEquals("RUNNING", finishedUnnoticed.status().name(), "the runner is done, nobody has looked yet");
        long versionBefore = finishedUnnoticed.version();

        CompletableFuture<JobView> first = CompletableFuture.supplyAsync(() -> jobs.status(OWNER, submitted.jobId()));
        CompletableFuture<JobView> second = CompletableFuture.supplyAsync(() -> jobs.status(OWNER, submitted.jobId()));

        assertEquals("SUCCEEDED", first.get().status().name());
        assertEquals(first.get(), second.get(), "both callers see the same result");
        assertEquals(versionBefore + 1, store.find(submitted.jobId()).orElseThrow().version(), "one terminal write");
    }

    @Test
    void unknownJobsAndOtherOwnersJobsAreNotFound() {
        Lambda.Answer unknown = get("01JD0000000000000000000000");
        assertEquals(404, unknown.status());
        assertEquals("JOB_NOT_FOUND", unknown.body().path("code").asText());

        JobView someoneElses = jobs.submit("jwt:someone-else", Jobs.request("print(1)"), null, Duration.ZERO);
        assertEquals(404, get(someoneElses.jobId()).status());
    }

    @Test
    void listFiltersByLabelAndPages() {
        String owner = "lister-" + UUID.randomUUID();
        for (String experiment : List.of("a", "a", "b")) {
            JobRequest request = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)")), "python main.py",
                    null, null, null, 60, null, Map.of("experiment", experiment));
            jobs.submit("jwt:" + owner, request, null, Duration.ZERO);
        }
        Consumer<ObjectNode> asOwner = event -> event.putObject("requestContext").putObject("authorizer").putObject("jwt")
                .putObject("claims").put("sub", owner);

        Lambda.Answer labelled = Lambda.http("http-api-list-jobs.json", asOwner.andThen(event ->
                event.putObject("queryStringParameters").put("label", "experiment:a")));
        assertEquals(200, labelled.status(), labelled.body().toString());
        assertEquals(2, labelled.body().path("jobs").size());

        Lambda.Answer firstPage = Lambda.http("http-api-list-jobs.json", asOwner.andThen(event ->
                event.putObject("queryStringParameters").put("limit", "2")));
        assertEquals(2, firstPage.body().path("jobs").size());
        String cursor = firstPage.body().path("nextCursor").asText();
        Lambda.Answer secondPage = Lambda.http("http-api-list-jobs.json", asOwner.andThen(event ->
                event.putObject("queryStringParameters").put("limit", "2").put("cursor", cursor)));
        assertEquals(1, secondPage.body().path("jobs").size());
        assertTrue(secondPage.body().path("nextCursor").isMissingNode() || secondPage.body().path("nextCursor").isNull()
                || secondPage.body().path("jobs").size() < 2);

        for (Map.Entry<String, String> bad : Map.of("status", "STATUS_INVALID", "limit", "LIMIT_INVALID", "cursor", "CURSOR_INVALID").entrySet()) {
            Lambda.Answer rejected = Lambda.http("http-api-list-jobs.json", asOwner.andThen(event ->
                    event.putObject("queryStringParameters").put(bad.getKey(), bad.getKey().equals("limit") ? "0" : "not-ours")));
            assertEquals(400, rejected.status());
            assertEquals(bad.getValue(), rejected.body().path("code").asText(), rejected.body().toString());
        }
    }
}
