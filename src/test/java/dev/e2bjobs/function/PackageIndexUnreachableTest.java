package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobLauncher;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A deployment whose package-index hosts do not cover the index (here: files.pythonhosted.org, where
 * pip downloads from, is missing): the sandbox's egress does not reach it and the job says so.
 */
@QuarkusTest
@TestProfile(PackageIndexUnreachableTest.PypiOrgOnly.class)
class PackageIndexUnreachableTest {

    public static class PypiOrgOnly extends StatusFunctionTest.Status {
        @Override
        Map<String, String> settings() {
            return Map.of("e2bjobs.jobs.package-index-hosts", "pypi.org");
        }
    }

    @Inject
    JobIntake intake;

    @Inject
    JobLauncher launcher;

    @Test
    void aDependencyBehindClosedEgressIsInstallFailedWithPipsReason() {
        ObjectNode body = Jobs.python(StatusFunctionTest.PROBE);
        body.putArray("dependencies").add("e2bjobs-probe");

        JsonNode job = StatusFunctionTest.ended(Jobs.started(intake, launcher, Jobs.OWNER,
                Lambda.JSON.convertValue(body, JobBody.class).toRequest()));

        assertEquals("INSTALL_FAILED", job.path("error").path("code").asText(), job.toString());
        assertEquals("pip install exited with 1: ERROR: Could not find a version that satisfies the requirement e2bjobs-probe"
                + " (from versions: none)", job.path("error").path("message").asText());
        assertTrue(job.path("stdout").path("text").asText().isEmpty(), "the command never ran");
    }
}
