package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobLauncher;
import dev.e2bjobs.job.JobRequest;
import dev.e2bjobs.local.StandIn;
import dev.e2bjobs.local.stack.HandOffs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** A job with results in the bucket is handed to the follow function when it starts, which ends it when its runner exits. */
@QuarkusTest
@TestProfile(FollowFunctionTest.Follow.class)
class FollowFunctionTest {

    public static class Follow extends Jobs.Profile {
        @Override
        String function() {
            return "follow";
        }
    }

    @Inject
    JobIntake intake;

    @Inject
    JobLauncher launcher;

    @Inject
    S3Client s3;

    @ConfigProperty(name = "e2bjobs.artifacts.bucket")
    String bucket;

    @StandIn
    HandOffs handOffs;

    @Test
    void theFollowerFinalizesTheJobAsSoonAsItsRunnerExitsAndItsResultsAreInTheBucket() throws IOException {
        JobRequest request = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("import time\ntime.sleep(1)\nprint('followed')")),
                "python main.py", null, null, null, null, 60, null, null, null, null, "s3");
        String jobId = intake.submit(Jobs.OWNER, request, null).jobId();
        launcher.launch(List.of(jobId));
        assertEquals(jobId, handOffs.last("follow").path("jobId").asText(), "the start handed it to a follower");

        ObjectNode event = Lambda.event("lambda-follow.json").put("jobId", jobId);
        assertEquals("SUCCEEDED", Lambda.invoke(event).asText());

        String results = "results/" + jobId + "/";
        assertEquals("followed\n", s3.getObjectAsBytes(b -> b.bucket(bucket).key(results + "stdout.txt")).asUtf8String());
        JsonNode status = Lambda.JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(bucket).key(results + "status.json")).asByteArray());
        assertEquals("SUCCEEDED", status.path("status").asText());
    }
}
