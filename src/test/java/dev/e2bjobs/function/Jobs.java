package dev.e2bjobs.function;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobLauncher;
import dev.e2bjobs.job.JobRequest;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.job.Runner;
import dev.e2bjobs.local.dynamodb.DynamoDbLocalResource;
import dev.e2bjobs.local.e2b.LocalE2bResource;
import dev.e2bjobs.local.s3.S3EmulatorResource;
import dev.e2bjobs.local.stack.LambdaApiResource;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxRef;
import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Job bodies for the function tests, the launch that the hand-off would run, and the profile every function test runs under. */
final class Jobs {
    static final String OWNER = "anonymous";

    private Jobs() {
    }

    /** examples/circle-packing as a job: main.py + evaluate.py, default command. */
    static ObjectNode genesisExample() {
        ObjectNode job = Lambda.JSON.createObjectNode();
        ObjectNode files = job.putObject("files");
        for (String name : List.of("main.py", "evaluate.py")) {
            try {
                files.put(name, Files.readString(Path.of("examples/circle-packing", name)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        job.put("timeoutSeconds", 60);
        return job;
    }

    /** A one-file Python job running {@code code}. */
    static ObjectNode python(String code) {
        ObjectNode job = Lambda.JSON.createObjectNode();
        job.putObject("files").put("main.py", code);
        job.put("command", "python main.py");
        return job;
    }

    static JobRequest request(String code) {
        return new JobRequest(Map.of("main.py", JobRequest.FileContent.text(code)), "python main.py", null, null, null, null, 60, null,
                null, null, null);
    }

    /** Queues a job and runs the launch its hand-off asks for (the launch function is not the one under test). */
    static String started(JobIntake intake, JobLauncher launcher, String owner, JobRequest request) {
        String jobId = intake.submit(owner, request, null).jobId();
        launcher.launch(List.of(jobId));
        return jobId;
    }

    /** Waits until the job's runner has written its exit code: done, but not yet noticed by anyone. */
    static void awaitRunnerDone(JobStore store, SandboxGateway sandboxes, String jobId) throws InterruptedException {
        SandboxRef sandbox = store.stored(jobId).sandbox();
        for (int i = 0; i < 150 && sandboxes.readFile(sandbox, Runner.EXIT_CODE).isEmpty(); i++) {
            Thread.sleep(100);
        }
    }

    /**
     * DynamoDB Local, the local E2B server, the S3 emulator and Lambda's Invoke API, one function exported.
     * Subclasses name the function and may add settings (each distinct profile restarts Quarkus, so keep them few).
     */
    abstract static class Profile implements QuarkusTestProfile {
        abstract String function();

        Map<String, String> settings() {
            return Map.of();
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(settings());
            config.put("quarkus.funqy.export", function());
            config.put("e2bjobs.deployment", "test-" + function());
            return config;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DynamoDbLocalResource.class), new TestResourceEntry(LocalE2bResource.class),
                    new TestResourceEntry(S3EmulatorResource.class), new TestResourceEntry(LambdaApiResource.class));
        }
    }
}
