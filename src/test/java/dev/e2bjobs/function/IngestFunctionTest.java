package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.bundle.Zips;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobLauncher;
import dev.e2bjobs.job.JobQueries;
import dev.e2bjobs.job.JobStatus;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.local.StandIn;
import dev.e2bjobs.local.e2b.LocalE2bAdmin;
import dev.e2bjobs.local.s3.S3EmulatorResource;
import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Bundles uploaded to the S3 emulator become jobs through ingest, and their results come back to the bucket. */
@QuarkusTest
@TestProfile(IngestFunctionTest.Ingest.class)
class IngestFunctionTest {
    private static final String OWNER = "s3:uploads";

    public static class Ingest extends Jobs.Profile {
        @Override
        String function() {
            return "ingest";
        }
    }

    /** Why a test runs in the app's process only: the launch its hand-off asks for runs through the app's beans. */
    private static final String STARTED = "the launch is run through the app's beans";
    private static final String BUCKET = S3EmulatorResource.BUCKET;

    @StandIn
    S3Client s3;

    @StandIn
    JobStore store;

    @StandIn
    LocalE2bAdmin e2b;

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void aZipBundleRunsAndItsResultsComeBackByteForByte() {
        String code = "import os\nos.makedirs('results', exist_ok=True)\n"
                + "open('results/all-bytes.bin', 'wb').write(bytes(range(256)))\n"
                + "open('results/metrics.json', 'w').write(open('data/params.json').read())\nprint('evaluated')\n";
        byte[] zip = Zips.text(Map.of("job.json", "{\"command\": \"python main.py\", \"timeoutSeconds\": 60}", "main.py", code,
                "data/params.json", "{\"score\": 0.93}"));

        Job job = ran(notify(upload("jobs/team a/eval 1.zip", zip)).get(0).path("detail").asText());

        assertEquals(JobStatus.SUCCEEDED, job.status());
        String results = "results/team a/eval 1/";
        assertArrayEquals(allBytes(), read(results + "files/results/all-bytes.bin").orElseThrow());
        assertEquals("{\"score\": 0.93}", text(results + "files/results/metrics.json"));
        assertEquals("evaluated\n", text(results + "stdout.txt"));
        assertEquals("", text(results + "stderr.txt"));
        JsonNode status = json(results + "status.json");
        assertEquals("SUCCEEDED", status.path("status").asText());
        assertEquals(job.jobId(), status.path("jobId").asText());
        assertEquals(results, status.path("resultsPrefix").asText());
        assertEquals(256, resultNamed(status, "results/all-bytes.bin").path("size").asInt());
        assertFalse(resultNamed(status, "results/all-bytes.bin").has("content"), "status.json lists the files; they lie beside it");
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void aFolderBundleRunsWithTheFilesBesideItsJobJson() {
        upload("jobs/folder-1/main.py", "print(open('data/input.txt').read().upper())".getBytes(StandardCharsets.UTF_8));
        upload("jobs/folder-1/data/input.txt", "from a sibling key".getBytes(StandardCharsets.UTF_8));
        PutResult jobJson = upload("jobs/folder-1/job.json", "{\"command\": [\"python\", \"main.py\"]}".getBytes(StandardCharsets.UTF_8));

        Job job = ran(notify(jobJson).get(0).path("detail").asText());

        assertEquals(JobStatus.SUCCEEDED, job.status());
        assertEquals("FROM A SIBLING KEY\n", text("results/folder-1/stdout.txt"));
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void aRedeliveredOrRepeatedNotificationMakesOneJobAndOneSandbox() {
        PutResult zip = upload("jobs/twice.zip", Zips.text(Map.of("job.json", "{\"command\": \"echo once\"}")));
        ObjectNode event = event(zip);
        ArrayNode records = (ArrayNode) event.path("Records");
        ObjectNode sameObjectAgain = records.get(0).deepCopy();
        ((ObjectNode) sameObjectAgain.path("s3").path("object")).put("sequencer", "0067474F2B5A3C9B1F");
        records.add(sameObjectAgain);

        JsonNode first = Lambda.invoke(event);
        JsonNode redelivered = Lambda.invoke(event);

        String jobId = first.get(0).path("detail").asText();
        for (JsonNode outcome : List.of(first.get(0), first.get(1), redelivered.get(0), redelivered.get(1))) {
            assertEquals("QUEUED", outcome.path("kind").asText());
            assertEquals(jobId, outcome.path("detail").asText(), "every delivery names the one job");
        }
        assertEquals(JobStatus.SUCCEEDED, ran(jobId).status());
        Beans.of(JobLauncher.class).launch(List.of(jobId)); // a second hand-off of the same job starts nothing
        assertEquals(1, e2b.createdPer("e2bjobs.jobId").get(jobId), "sandboxes made for the job");
    }

    @Test
    void anUploadUnderResultsIsNotABundle() {
        PutResult underResults = upload("results/copied/back.zip", Zips.text(Map.of("job.json", "{\"command\": \"echo no\"}")));
        int jobsBefore = jobCount();

        JsonNode outcome = notify(underResults).get(0);

        assertEquals("IGNORED", outcome.path("kind").asText());
        assertEquals(jobsBefore, jobCount());
        assertTrue(read("results/copied/back/error.json").isEmpty());
    }

    @Test
    void anInvalidBundleOrAZipBombGetsErrorJsonAndNoSandbox() {
        int jobsBefore = jobCount();
        long createsBefore = creates();

        JsonNode invalid = notify(upload("jobs/bad-timeout.zip", Zips.text(Map.of("job.json", "{\"command\": \"echo x\", \"timeoutSeconds\": 0}")))).get(0);
        JsonNode bomb = notify(upload("jobs/bomb.zip", Zips.of(Map.of("job.json", "{}".getBytes(StandardCharsets.UTF_8), "zeros.bin", new byte[40 << 20]), true)))
                .get(0);

        assertEquals("REJECTED", invalid.path("kind").asText());
        JsonNode problem = json("results/bad-timeout/error.json");
        assertEquals("TIMEOUT_OUT_OF_RANGE", problem.path("code").asText(), "the code POST /jobs answers with");
        assertEquals(400, problem.path("status").asInt());
        assertEquals("BUNDLE_TOO_LARGE", json("results/bomb/error.json").path("code").asText());
        assertEquals("BUNDLE_TOO_LARGE", bomb.path("detail").asText());
        assertEquals(jobsBefore, jobCount(), "nothing is stored");
        assertEquals(createsBefore, creates(), "no sandbox is made");
    }

    @Test
    @DisabledOnIntegrationTest(STARTED)
    void aLargeStdoutIsATailInTheJobAndWholeInTheBucket() {
        String twoMegabytes = "import sys\nfor i in range(2048):\n    sys.stdout.write(('%07d' % i) + 'x' * 1016 + '\\n')\n";
        Job job = ran(notify(upload("jobs/loud.zip", Zips.text(Map.of("job.json", "{\"command\": \"python main.py\"}", "main.py", twoMegabytes))))
                .get(0).path("detail").asText());

        assertTrue(job.output().stdout().truncated());
        assertTrue(job.output().stdout().text().length() <= 16384, "the job keeps a tail");
        String whole = text("results/loud/stdout.txt");
        assertEquals(2048 * 1024, whole.length());
        assertTrue(whole.startsWith("0000000x"), "from the first line");
    }

    private record PutResult(String key, String eTag, long size) {
    }

    private PutResult upload(String key, byte[] content) {
        String eTag = s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(content)).eTag().replace("\"", "");
        return new PutResult(key, eTag, content.length);
    }

    /** The notification S3 sends for the upload (infra/events/s3-object-created.json), delivered to ingest. */
    private JsonNode notify(PutResult upload) {
        return Lambda.invoke(event(upload));
    }

    private ObjectNode event(PutResult upload) {
        ObjectNode event = Lambda.event("s3-object-created.json");
        ObjectNode record = (ObjectNode) event.path("Records").get(0);
        ((ObjectNode) record.path("s3").path("bucket")).put("name", BUCKET).put("arn", "arn:aws:s3:::" + BUCKET);
        // S3 encodes keys as a form would, leaving the slashes
        ((ObjectNode) record.path("s3").path("object")).put("key", URLEncoder.encode(upload.key(), StandardCharsets.UTF_8).replace("%2F", "/"))
                .put("eTag", upload.eTag()).put("size", upload.size());
        return event;
    }

    /** Runs the launch the hand-off asks for (through the app's beans), then waits for the job's end. */
    private static Job ran(String jobId) {
        Beans.of(JobLauncher.class).launch(List.of(jobId));
        return Beans.of(JobQueries.class).status(OWNER, jobId, Duration.ofSeconds(20));
    }

    private int jobCount() {
        return store.list(OWNER, null, null, null, 100).jobs().size();
    }

    private long creates() {
        return e2b.createdPer("e2bjobs.jobId").values().stream().mapToLong(Integer::longValue).sum();
    }

    private Optional<byte[]> read(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    private String text(String key) {
        return new String(read(key).orElseThrow(() -> new AssertionError(key + " is not in the bucket")), StandardCharsets.UTF_8);
    }

    private JsonNode json(String key) {
        try {
            return Lambda.JSON.readTree(text(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode resultNamed(JsonNode status, String path) {
        for (JsonNode result : status.path("results")) {
            if (result.path("path").asText().equals(path)) {
                return result;
            }
        }
        throw new AssertionError("no result " + path + " in " + status);
    }

    private static byte[] allBytes() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }
}
