package dev.e2bjobs.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.job.InvalidJobRequestException;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobFile;
import dev.e2bjobs.job.JobRequest;
import dev.e2bjobs.job.JobsOnFakes;
import dev.e2bjobs.job.ResultsTarget;
import dev.e2bjobs.job.TestSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Uploads become jobs once each, as the S3 owner's, with their files; anything else is ignored or refused in error.json. */
class BundleIngestTest {
    private static final String BUCKET = "jobs-bucket";
    private static final String OWNER = "s3:pipeline";
    /** job.json's text is the job's shell command here (the edge parses real JSON); "REFUSE" is a request the API refuses. */
    private static final Function<byte[], JobRequest> PARSER = json -> {
        String text = new String(json, StandardCharsets.UTF_8);
        if (text.equals("REFUSE")) {
            throw new InvalidJobRequestException("MALFORMED_JSON", "not a job");
        }
        return text.isEmpty() ? null : new JobRequest(null, text, null, null, null, null, 60, null, null, null, null);
    };

    private final JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);
    private final MemorySource bucket = new MemorySource();
    private final BundleIngest ingest = new BundleIngest(bucket, jobs.intake, jobs.exports, new BundleIngest.Settings(BUCKET, "jobs/", OWNER),
            TestSettings.DEFAULTS);

    @Test
    void aZipBecomesAJobOfTheS3OwnerWithItsFilesAndItsResultsFolder() {
        Upload upload = bucket.put("jobs/team/eval 1.zip", Zips.text(Map.of("job.json", "python main.py", "main.py", "print(1)")));

        BundleIngest.Outcome outcome = ingest.ingest(upload, PARSER);

        Job job = jobs.job(outcome.detail());
        assertEquals(BundleIngest.Outcome.Kind.QUEUED, outcome.kind());
        assertEquals(OWNER, job.owner());
        assertEquals(List.of("/bin/bash", "-c", "python main.py"), job.spec().command());
        assertEquals(List.of(new JobFile("main.py", "print(1)".getBytes(StandardCharsets.UTF_8))), job.spec().files());
        assertEquals(new ResultsTarget("team/eval 1"), job.spec().resultsTo());
    }

    @Test
    void aFolderBundleTakesEveryKeyBesideItsJobJson() {
        bucket.put("jobs/f/main.py", "print(2)".getBytes(StandardCharsets.UTF_8));
        bucket.put("jobs/f/data/in.bin", new byte[] {0, (byte) 255});
        bucket.put("jobs/fx/other.py", new byte[] {9}); // another folder that merely starts alike
        Upload upload = bucket.put("jobs/f/job.json", "python main.py".getBytes(StandardCharsets.UTF_8));

        Job job = jobs.job(ingest.ingest(upload, PARSER).detail());

        assertEquals(List.of("data/in.bin", "main.py"), job.spec().files().stream().map(JobFile::path).sorted().toList());
        assertArrayEquals(new byte[] {0, (byte) 255}, job.spec().files().stream().filter(f -> f.path().equals("data/in.bin")).findFirst()
                .orElseThrow().content());
        assertEquals(new ResultsTarget("f"), job.spec().resultsTo());
    }

    @Test
    void theSameUploadAnnouncedAgainIsTheSameJobAndANewVersionIsANewOne() {
        Upload first = bucket.put("jobs/a.zip", Zips.text(Map.of("job.json", "echo 1")));
        String jobId = ingest.ingest(first, PARSER).detail();

        assertEquals(jobId, ingest.ingest(first, PARSER).detail());
        assertEquals(jobId, ingest.ingest(new Upload(BUCKET, "jobs/a.zip", null, first.eTag()), PARSER).detail());
        Upload second = bucket.put("jobs/a.zip", Zips.text(Map.of("job.json", "echo 2")));
        assertTrue(!ingest.ingest(second, PARSER).detail().equals(jobId), "a new version is a new job");
        assertEquals(2, jobs.jobsOf(OWNER));
    }

    @Test
    void keysThatAreNoBundleOrOfAnotherBucketAreIgnored() {
        for (Upload upload : List.of(bucket.put("results/x/a.zip", Zips.text(Map.of("job.json", "echo"))), bucket.put("jobs/f/main.py", new byte[1]),
                bucket.put("jobs/.zip", new byte[1]), bucket.put("jobs/../x.zip", new byte[1]), new Upload("other-bucket", "jobs/a.zip", null, "e"))) {
            assertEquals(BundleIngest.Outcome.Kind.IGNORED, ingest.ingest(upload, PARSER).kind(), upload.key());
        }
        assertTrue(jobs.bucket.objects.isEmpty(), "and nothing is written");
    }

    @Test
    void aBundleThatCannotRunGetsErrorJsonAndNoJob() {
        Map<String, String> refusals = Map.of("jobs/bad.zip", "MALFORMED_JSON", "jobs/empty.zip", "BODY_REQUIRED", "jobs/nojob.zip", "BUNDLE_INVALID",
                "jobs/twice.zip", "BUNDLE_INVALID", "jobs/notzip.zip", "BUNDLE_INVALID");
        bucket.put("jobs/bad.zip", Zips.text(Map.of("job.json", "REFUSE")));
        bucket.put("jobs/empty.zip", Zips.text(Map.of("job.json", "")));
        bucket.put("jobs/nojob.zip", Zips.text(Map.of("main.py", "print(1)")));
        bucket.put("jobs/notzip.zip", "plain text".getBytes(StandardCharsets.UTF_8));
        bucket.put("jobs/twice.zip", Zips.text(Map.of("job.json", "python main.py", "main.py", "1")));
        Function<byte[], JobRequest> alsoInline = json -> PARSER.apply(json).withFiles(Map.of("main.py", JobRequest.FileContent.text("2")));

        refusals.forEach((key, code) -> {
            BundleIngest.Outcome outcome = ingest.ingest(bucket.current(key), key.equals("jobs/twice.zip") ? alsoInline : PARSER);
            assertEquals(new BundleIngest.Outcome(BundleIngest.Outcome.Kind.REJECTED, code), outcome, key);
            String name = key.substring("jobs/".length(), key.length() - ".zip".length());
            assertEquals(code, jobs.bucket.text("results/" + name + "/error.json"), key);
        });
        assertEquals(0, jobs.jobsOf(OWNER));
    }

    @Test
    void aFolderOfTooManyFilesIsRefusedBeforeReadingThem() {
        for (int i = 0; i <= TestSettings.DEFAULTS.maxFiles(); i++) {
            bucket.put("jobs/big/f" + i + ".py", new byte[1]);
        }
        Upload upload = bucket.put("jobs/big/job.json", "echo".getBytes(StandardCharsets.UTF_8));
        bucket.reads = 0;

        assertEquals(new BundleIngest.Outcome(BundleIngest.Outcome.Kind.REJECTED, "BUNDLE_TOO_LARGE"), ingest.ingest(upload, PARSER));
        assertEquals(1, bucket.reads, "only job.json was read");
    }

    @Test
    void anUploadReplacedBeforeItIsReadIsLeftToItsSuccessorsNotice() {
        Upload stale = bucket.put("jobs/r.zip", Zips.text(Map.of("job.json", "echo 1")));
        bucket.put("jobs/r.zip", Zips.text(Map.of("job.json", "echo 2")));

        assertEquals(BundleIngest.Outcome.Kind.IGNORED, ingest.ingest(stale, PARSER).kind());
    }

    @Test
    void aPrefixThatCouldHoldResultsIsRefusedAtStart() {
        for (String prefix : List.of("results/in/", "", "artifacts/", "jobs")) {
            assertThrows(IllegalArgumentException.class, () -> new BundleIngest.Settings(BUCKET, prefix, OWNER), prefix);
        }
    }

    /** The bucket in memory: each put is a new version, told apart by its ETag as in an unversioned bucket. */
    private static final class MemorySource implements BundleSource {
        private final TreeMap<String, byte[]> objects = new TreeMap<>();
        private final Map<String, String> eTags = new TreeMap<>();
        private int versions;
        int reads;

        Upload put(String key, byte[] content) {
            objects.put(key, content);
            eTags.put(key, "etag-" + ++versions);
            return current(key);
        }

        Upload current(String key) {
            return new Upload(BUCKET, key, null, eTags.get(key));
        }

        @Override
        public Optional<byte[]> read(Upload upload, long maxBytes) {
            if (!upload.eTag().equals(eTags.get(upload.key()))) {
                return Optional.empty();
            }
            return read(upload.bucket(), upload.key());
        }

        @Override
        public Optional<byte[]> read(String bucket, String key) {
            reads++;
            return Optional.ofNullable(objects.get(key));
        }

        @Override
        public List<Listed> list(String bucket, String prefix, int max) {
            return objects.subMap(prefix, prefix + Character.MAX_VALUE).entrySet().stream().limit(max + 1L)
                    .map(object -> new Listed(object.getKey(), object.getValue().length)).toList();
        }
    }
}
