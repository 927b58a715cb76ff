package dev.e2bjobs.local.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class S3NotificationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<S3Notifications.Rule> INGEST = List.of(new S3Notifications.Rule("ZipBundle", "jobs/", ".zip"),
            new S3Notifications.Rule("FolderBundle", "jobs/", "/job.json"));
    private static final List<Duration> QUICK_RETRIES = List.of(Duration.ofMillis(50), Duration.ofMillis(100));
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static S3Emulator emulator;
    private static S3Client s3;

    private final Recorder function = new Recorder();
    private String bucket;
    private S3Notifications notifications;

    @BeforeAll
    static void startEmulator() throws Exception {
        emulator = S3Emulator.start();
        s3 = emulator.client();
    }

    @AfterAll
    static void stopEmulator() {
        s3.close();
        emulator.close();
    }

    @BeforeEach
    void newBucket() {
        bucket = "bucket-" + BUCKETS.incrementAndGet();
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void stop() {
        if (notifications != null) {
            notifications.close();
        }
    }

    @Test
    void aZipUploadIsOneObjectCreatedEventInS3sShapeWithItsKeyFormEncoded() throws Exception {
        watch(1);
        String eTag = put("jobs/a b.zip", "zip bytes").replace("\"", "");

        JsonNode event = function.awaitCalls(1).get(0);
        notifications.close();
        assertEquals(1, function.calls().size());
        assertEquals(1, event.path("Records").size());
        JsonNode record = event.path("Records").get(0);
        assertEquals("2.1", record.path("eventVersion").asText());
        assertEquals("aws:s3", record.path("eventSource").asText());
        assertEquals("ObjectCreated:Put", record.path("eventName").asText());
        assertTrue(record.path("eventTime").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), record.toString());
        assertEquals("1.0", record.path("s3").path("s3SchemaVersion").asText());
        assertEquals("ZipBundle", record.path("s3").path("configurationId").asText());
        assertEquals(bucket, record.path("s3").path("bucket").path("name").asText());
        assertEquals("arn:aws:s3:::" + bucket, record.path("s3").path("bucket").path("arn").asText());
        JsonNode object = record.path("s3").path("object");
        assertEquals("jobs/a+b.zip", object.path("key").asText());
        assertEquals(9, object.path("size").asLong());
        assertEquals(eTag, object.path("eTag").asText());
        assertTrue(object.path("sequencer").asText().matches("[0-9A-F]+"), object.toString());
        assertFalse(object.has("versionId"), "an unversioned bucket's events have no versionId");
    }

    @Test
    void onlyKeysUnderARulesPrefixWithItsSuffixAreAnnounced() throws Exception {
        watch(1);
        put("results/r/out.zip", "result");
        put("artifacts/a.zip", "artifact");
        put("jobs/x/main.py", "print(1)");
        put("jobs/x/job.json", "{}");

        function.awaitCalls(1);
        notifications.close(); // whatever was announced with or before job.json has been delivered now
        assertEquals(List.of("jobs/x/job.json"), function.keys());
        assertEquals("FolderBundle", function.calls().get(0).path("Records").get(0).path("s3").path("configurationId").asText());
    }

    @Test
    void anOverwriteIsAnnouncedAgainWithItsNewETagAndALaterSequencer() throws Exception {
        watch(1);
        put("jobs/a b.zip", "first");
        function.awaitCalls(1);
        String second = put("jobs/a b.zip", "second, longer").replace("\"", "");

        List<JsonNode> calls = function.awaitCalls(2);
        JsonNode first = calls.get(0).path("Records").get(0).path("s3").path("object");
        JsonNode overwrite = calls.get(1).path("Records").get(0).path("s3").path("object");
        assertEquals("jobs/a+b.zip", overwrite.path("key").asText());
        assertEquals(second, overwrite.path("eTag").asText());
        assertEquals(14, overwrite.path("size").asLong());
        assertTrue(new BigInteger(overwrite.path("sequencer").asText(), 16).compareTo(new BigInteger(first.path("sequencer").asText(), 16)) > 0,
                first + " then " + overwrite);
    }

    @Test
    void objectsThatExistedBeforeTheStartAreNotAnnounced() throws Exception {
        put("jobs/old.zip", "old");
        watch(1);
        put("jobs/new.zip", "new");

        function.awaitCalls(1);
        notifications.close();
        assertEquals(List.of("jobs/new.zip"), function.keys());
    }

    @Test
    void aBucketCreatedAfterTheStartIsWatchedFromItsFirstObject() throws Exception {
        bucket = "bucket-later-" + BUCKETS.incrementAndGet();
        watch(1);
        s3.createBucket(b -> b.bucket(bucket));
        put("jobs/first.zip", "first");

        function.awaitCalls(1);
        assertEquals(List.of("jobs/first.zip"), function.keys());
    }

    @Test
    void aFunctionThatKeepsFailingGetsThreeAttempts() throws Exception {
        function.answer(event -> Optional.of("{\"errorMessage\":\"boom\"}"));
        watch(1);
        put("jobs/failing.zip", "zip");

        List<JsonNode> attempts = function.awaitCalls(3);
        notifications.close(); // drops any further retry: there must be none
        assertEquals(3, function.calls().size());
        assertEquals(1, attempts.stream().map(JsonNode::toString).distinct().count(), "every attempt sends the same event");
    }

    @Test
    void aFunctionThatFailsOnceIsRetriedUntilItSucceeds() throws Exception {
        AtomicInteger attempt = new AtomicInteger();
        function.answer(event -> attempt.incrementAndGet() == 1 ? Optional.of("{\"errorMessage\":\"once\"}") : Optional.empty());
        watch(1);
        put("jobs/flaky.zip", "zip");

        function.awaitCalls(2);
        notifications.close();
        assertEquals(2, function.calls().size());
    }

    @Test
    void twoDeliveriesSendEveryEventTwice() throws Exception {
        watch(2);
        put("jobs/twice.zip", "zip");
        put("jobs/y/job.json", "{}");

        List<JsonNode> calls = function.awaitCalls(4);
        notifications.close();
        assertEquals(4, function.calls().size());
        assertEquals(2, calls.stream().map(JsonNode::toString).distinct().count(), "the same two events, each twice");
        assertEquals(List.of("jobs/twice.zip", "jobs/twice.zip", "jobs/y/job.json", "jobs/y/job.json"),
                function.keys().stream().sorted().toList());
    }

    @Test
    void aKeyIsEncodedAsS3EncodesItInEvents() {
        assertEquals("jobs/a+b%2Bc%C3%A9%3D.zip", S3Notifications.eventKey("jobs/a b+cé=.zip"));
        assertEquals("jobs/x/job.json", S3Notifications.eventKey("jobs/x/job.json"));
    }

    private void watch(int deliveries) {
        notifications = S3Notifications.start(URI.create(emulator.endpoint()), bucket, INGEST, function, deliveries, QUICK_RETRIES);
    }

    /** The object's ETag as S3 returns it (quoted). */
    private String put(String key, String content) {
        return s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8)).eTag();
    }

    /** A function that records every event it gets and answers as told (success by default). */
    private static final class Recorder implements S3Notifications.Receiver {
        private final List<JsonNode> calls = new ArrayList<>();
        private volatile Function<String, Optional<String>> answer = event -> Optional.empty();

        void answer(Function<String, Optional<String>> answer) {
            this.answer = answer;
        }

        @Override
        public Optional<String> invoke(String event) throws Exception {
            synchronized (this) {
                calls.add(JSON.readTree(event));
                notifyAll();
            }
            return answer.apply(event);
        }

        synchronized List<JsonNode> calls() {
            return List.copyOf(calls);
        }

        /** The raw keys (decoded) of the events so far, in the order they came. */
        synchronized List<String> keys() {
            return calls.stream().map(call -> java.net.URLDecoder.decode(
                    call.path("Records").get(0).path("s3").path("object").path("key").asText(), StandardCharsets.UTF_8)).toList();
        }

        /** The first {@code n} events, once there are that many. */
        synchronized List<JsonNode> awaitCalls(int n) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (calls.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " events within " + WAIT + ", got " + calls);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(calls.subList(0, n));
        }
    }
}
