package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobLauncher;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.job.QueuedJobs;
import dev.e2bjobs.local.StandIn;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.sandbox.SandboxSpec;
import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
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

    @StandIn
    JobStore store;

    @StandIn
    LocalE2bAdmin e2b;

    @Test
    @DisabledOnIntegrationTest("a started job is arranged through the app's beans")
    void cancelKillsTheSandboxGivesTheSlotBackAndIsFinal() {
        String jobId = Jobs.started(Beans.of(JobIntake.class), Beans.of(JobLauncher.class), Jobs.OWNER,
                Jobs.request("import time\ntime.sleep(60)\n"));
        assertEquals(1, e2b.existing(SandboxSpec.JOB_ID_KEY, jobId));

        Lambda.Answer cancelled = Lambda.http("http-api-delete-job.json", Lambda.jobId(jobId));
        assertEquals(200, cancelled.status(), cancelled.body().toString());
        assertEquals("CANCELLED", cancelled.body().path("status").asText());
        assertEquals(0, e2b.existing(SandboxSpec.JOB_ID_KEY, jobId));
        assertEquals(false, store.stored(jobId).slotHeld());

        Lambda.Answer again = Lambda.http("http-api-delete-job.json", Lambda.jobId(jobId));
        assertEquals(200, again.status());
        assertEquals(cancelled.body().path("finishedAt"), again.body().path("finishedAt"), "a second cancel changes nothing");
    }

    @Test
    void aQueuedJobIsCancelledBeforeItHasASandbox() {
        String jobId = new QueuedJobs(store).queue(Jobs.OWNER, Jobs.request("print(1)"));

        Lambda.Answer cancelled = Lambda.http("http-api-delete-job.json", Lambda.jobId(jobId));

        assertEquals("CANCELLED", cancelled.body().path("status").asText());
        assertEquals(0, e2b.existing(SandboxSpec.JOB_ID_KEY, jobId));
    }

    @Test
    void cancellingAnUnknownJobIsNotFound() {
        Lambda.Answer answer = Lambda.http("http-api-delete-job.json", Lambda.jobId("01JD0000000000000000000000"));
        assertEquals(404, answer.status());
        assertEquals("JOB_NOT_FOUND", answer.body().path("code").asText());
    }
}
