package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jobs that ask for it leave their results in the bucket: whole outputs, every result file, status.json last. */
class ResultsExportTest {
    private final JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);

    private static JobRequest toBucket(String... dependencies) {
        return new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)")), "python main.py", null, List.of(dependencies),
                null, null, 60, null, null, null, null, "s3");
    }

    private String finished(JobRequest request, String exitLine, String stdout, Map<String, byte[]> results) {
        String jobId = jobs.submitAndLaunch(request);
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), exitLine, stdout, results);
        jobs.finalizer.look(jobs.job(jobId));
        return jobId;
    }

    @Test
    void aFinishedJobLeavesItsWholeOutputAndEveryResultFileThenItsStatus() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        String jobId = finished(toBucket(), "command 0", "0123456789abcdef", Map.of(
                "results/a.json", "{\"x\":1}".getBytes(StandardCharsets.UTF_8), "results/b.bin", new byte[50], "results/c.bin", binary));

        String prefix = "results/" + jobId + "/";
        assertEquals("89abcdef", jobs.job(jobId).output().stdout().text(), "the job keeps a tail");
        assertEquals("0123456789abcdef", jobs.bucket.text(prefix + "stdout.txt"), "the bucket gets all of it");
        assertEquals("", jobs.bucket.text(prefix + "stderr.txt"));
        assertEquals("{\"x\":1}", jobs.bucket.text(prefix + "files/results/a.json"));
        assertArrayEquals(new byte[50], jobs.bucket.objects.get(prefix + "files/results/b.bin"), "a file stored as an artifact too");
        assertNull(jobs.bucket.objects.get(prefix + "files/results/c.bin"), "beyond the artifact limit (100 bytes) only its size is known");
        assertEquals("SUCCEEDED 0", jobs.bucket.text(prefix + "status.json"));
    }

    @Test
    void aFailedInstallLeavesPipsLogAsStderr() {
        String jobId = jobs.submitAndLaunch(toBucket("numpy"));
        jobs.sandboxes.sandboxes.get(jobs.sandboxOf(jobId)).files().put(Runner.INSTALL_LOG,
                "ERROR: No matching distribution found for numpy\n".getBytes(StandardCharsets.UTF_8));
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), "install 1", "", Map.of());
        jobs.finalizer.look(jobs.job(jobId));

        assertEquals("ERROR: No matching distribution found for numpy\n", jobs.bucket.text("results/" + jobId + "/stderr.txt"));
        assertEquals("FAILED 1", jobs.bucket.text("results/" + jobId + "/status.json"));
    }

    @Test
    void anUploadedJobWritesUnderItsBundlesNameAndEveryEndingWritesTheStatus() {
        Job job = jobs.intake.submitUpload(JobsOnFakes.OWNER, JobsOnFakes.job(60), "team/eval 7", "s3://bucket/jobs/team/eval 7.zip#e1");
        jobs.cancellation.cancel(JobsOnFakes.OWNER, job.jobId());

        assertEquals(Map.of("results/team/eval 7/status.json", "CANCELLED null"),
                Map.of("results/team/eval 7/status.json", jobs.bucket.text("results/team/eval 7/status.json")));
        assertEquals(1, jobs.bucket.objects.size(), "a job that never ran has only its status");
    }

    @Test
    void aJobThatDidNotAskWritesNothing() {
        finished(JobsOnFakes.job(60), "command 0", "out", Map.of("results/a.json", new byte[] {1}));
        assertTrue(jobs.bucket.objects.isEmpty());
    }

    @Test
    void anUnreachableBucketDoesNotChangeHowTheJobEnded() {
        jobs.bucket.unreachable = true;
        String jobId = finished(toBucket(), "command 0", "out", Map.of("results/a.json", new byte[] {1}));

        assertEquals(JobStatus.SUCCEEDED, jobs.job(jobId).status());
        assertFalse(jobs.job(jobId).slotHeld(), "and its sandbox is gone");
    }
}
