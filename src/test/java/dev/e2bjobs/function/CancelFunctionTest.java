package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobLauncher;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxSpec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DELETE /jobs/{jobId} through the Lambda mock event server. */
@QuarkusTest
@TestProfile(CancelFunctionTest.Cancel.class)
class CancelFunctionTest {

    public static class Cancel extends Jobs.Profile {
        @Override
        String function() {
            return "cancel";
        }
    }

    @Inject
    JobIntake intake;

    @Inject
    JobLauncher launcher;

    @Inject
    JobStore store;

    @Inject
    SandboxGateway sandboxes;

    @Test
    void cancelKillsTheSandboxGivesTheSlotBackAndIsFinal() {
        String jobId = Jobs.started(intake, launcher, Jobs.OWNER, Jobs.request("import time\ntime.sleep(60)\n"));
        assertEquals(1, sandboxes.listOwned(Map.of(SandboxSpec.JOB_ID_KEY, jobId)).size());

        Lambda.Answer cancelled = Lambda.http("http-api-delete-job.json", Lambda.jobId(jobId));
        assertEquals(200, cancelled.status(), cancelled.body().toString());
        assertEquals("CANCELLED", cancelled.body().path("status").asText());
        assertEquals(0, sandboxes.listOwned(Map.of(SandboxSpec.JOB_ID_KEY, jobId)).size());
        assertEquals(false, store.stored(jobId).slotHeld());

        Lambda.Answer again = Lambda.http("http-api-delete-job.json", Lambda.jobId(jobId));
        assertEquals(200, again.status());
        assertEquals(cancelled.body().path("finishedAt"), again.body().path("finishedAt"), "a second cancel changes nothing");
    }

    @Test
    void aQueuedJobIsCancelledBeforeItHasASandbox() {
        String jobId = intake.submit(Jobs.OWNER, Jobs.request("print(1)"), null).jobId();

        Lambda.Answer cancelled = Lambda.http("http-api-delete-job.json", Lambda.jobId(jobId));

        assertEquals("CANCELLED", cancelled.body().path("status").asText());
        assertEquals(0, sandboxes.listOwned(Map.of(SandboxSpec.JOB_ID_KEY, jobId)).size());
    }

    @Test
    void cancellingAnUnknownJobIsNotFound() {
        Lambda.Answer answer = Lambda.http("http-api-delete-job.json", Lambda.jobId("01JD0000000000000000000000"));
        assertEquals(404, answer.status());
        assertEquals("JOB_NOT_FOUND", answer.body().path("code").asText());
    }
}
