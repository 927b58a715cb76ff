package dev.e2bjobs.local.s3;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3 event notifications for a bucket of the {@link S3Emulator}, delivered to a function the way S3
 * invokes Lambda: one {@code ObjectCreated:Put} event (one record, the S3 event message structure 2.1)
 * for each object created or overwritten under a {@link Rule}'s prefix and suffix, sent asynchronously
 * (off the watching thread), retried twice when the function reports an error, and — "at least once"
 * — sent {@code deliveries} times each, so that tests can prove a function idempotent.
 *
 * <p>S3Proxy has no notifications of its own, so this watches the bucket: it lists it every
 * {@value #POLL_MILLIS} ms and announces each new key, and each key whose ETag or modification time
 * changed. Objects that exist when it starts are not announced (as with S3); a bucket that does not
 * exist yet is watched from its first object on.
 */
public final class S3Notifications implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 200;
    /** Lambda's asynchronous invoke retries a failed event twice, after about 1 and 2 minutes; locally seconds. */
    public static final List<Duration> RETRY_DELAYS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));
    private static final DateTimeFormatter EVENT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String REGION = "us-east-1";
    private static final String PRINCIPAL = "local";

    /**
     * One notification configuration: object keys that start with {@code prefix} and end with
     * {@code suffix} (either may be empty); {@code id} becomes the events' configurationId.
     */
    public record Rule(String id, String prefix, String suffix) {
        boolean matches(String key) {
            return key.startsWith(prefix) && key.endsWith(suffix);
        }
    }

    /** The function the events go to. */
    @FunctionalInterface
    public interface Receiver {
        /** Delivers one event: the error the function reported, or empty if it handled the event. Throws if it was not reached. */
        Optional<String> invoke(String event) throws Exception;
    }

    /** What an object was when last seen: a different one is a new object (an overwrite). */
    private record Seen(String eTag, Instant lastModified) {
        static Seen of(S3Object object) {
            return new Seen(object.eTag(), object.lastModified());
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final List<Rule> rules;
    private final Receiver receiver;
    private final int deliveries;
    private final List<Duration> retryDelays;
    /** Every key under the rules' prefixes as last listed. Only the watching thread touches it. */
    private final Map<String, Seen> seen = new HashMap<>();
    /** S3's sequencer orders the events of one key; here it orders all of them. */
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis() << 16);
    private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(daemon("s3-notifications-watch"));
    /** Deliveries run here, several at once (a function scales out); retries wait on the watcher's timer, not here. */
    private final ExecutorService senders = Executors.newFixedThreadPool(4, daemon("s3-notifications-send"));
    private boolean failing;

    private S3Notifications(URI endpoint, String bucket, List<Rule> rules, Receiver receiver, int deliveries, List<Duration> retryDelays) {
        if (deliveries < 1) {
            throw new IllegalArgumentException("deliveries must be at least 1, got " + deliveries);
        }
        this.s3 = S3Emulator.client(endpoint);
        this.bucket = bucket;
        this.rules = List.copyOf(rules);
        this.receiver = receiver;
        this.deliveries = deliveries;
        this.retryDelays = List.copyOf(retryDelays);
    }

    /**
     * Watches {@code bucket} from now on and sends {@code receiver} an event for every object created
     * that matches one of {@code rules}, each {@code deliveries} times, retrying failed sends after
     * {@code retryDelays} (one attempt more than delays).
     */
    public static S3Notifications start(URI endpoint, String bucket, List<Rule> rules, Receiver receiver, int deliveries,
            List<Duration> retryDelays) {
        S3Notifications notifications = new S3Notifications(endpoint, bucket, rules, receiver, deliveries, retryDelays);
        notifications.list().forEach((key, object) -> notifications.seen.put(key, Seen.of(object))); // never announced
        notifications.watcher.scheduleWithFixedDelay(notifications::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return notifications;
    }

    private void poll() {
        try {
            Map<String, S3Object> current = list();
            current.forEach((key, object) -> {
                Seen now = Seen.of(object);
                if (!now.equals(seen.put(key, now))) {
                    rules.stream().filter(rule -> rule.matches(key)).findFirst().ifPresent(rule -> announce(rule, object));
                }
            });
            seen.keySet().retainAll(current.keySet()); // a deleted key that comes back is new again
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) { // once per outage: the emulator may be stopping
                System.err.println("s3-notifications: cannot list bucket " + bucket + ": " + e);
            }
            failing = true;
        }
    }

    /** The keys under the rules' prefixes now (none while the bucket does not exist). */
    private Map<String, S3Object> list() {
        Map<String, S3Object> objects = new HashMap<>();
        Set<String> prefixes = new LinkedHashSet<>();
        rules.forEach(rule -> prefixes.add(rule.prefix()));
        try {
            for (String prefix : prefixes) {
                s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(object -> objects.put(object.key(), object));
            }
        } catch (NoSuchBucketException notYet) {
            // the app creates it when it starts: everything in it will be new
        }
        return objects;
    }

    private void announce(Rule rule, S3Object object) {
        String event = event(rule, object, sequencer.incrementAndGet());
        for (int i = 0; i < deliveries; i++) {
            senders.execute(() -> send(object.key(), event, 1));
        }
    }

    /** One attempt; a failed one schedules the next after its delay, until the attempts run out. */
    private void send(String key, String event, int attempt) {
        String failure;
        try {
            Optional<String> error = receiver.invoke(event);
            if (error.isEmpty()) {
                return;
            }
            failure = "the function failed: " + error.get();
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            failure = "not delivered: " + e;
        }
        int attempts = retryDelays.size() + 1;
        System.err.printf("s3-notifications: %s on %s, attempt %d of %d: %s%n", bucket, key, attempt, attempts, failure);
        if (attempt < attempts) {
            try {
                watcher.schedule(() -> senders.execute(() -> send(key, event, attempt + 1)),
                        retryDelays.get(attempt - 1).toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                System.err.printf("s3-notifications: stopped; no more attempts on %s%n", key);
            }
        }
    }

    /** The event S3 sends for a PUT of {@code object}: the S3 event message structure, version 2.1. */
    private String event(Rule rule, S3Object object, long sequence) {
        ObjectNode record = JSON.createObjectNode();
        record.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("awsRegion", REGION)
                .put("eventTime", EVENT_TIME.format(object.lastModified())).put("eventName", "ObjectCreated:Put");
        record.putObject("userIdentity").put("principalId", PRINCIPAL);
        record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
        record.putObject("responseElements").put("x-amz-request-id", randomHex(8).toUpperCase())
                .put("x-amz-id-2", java.util.Base64.getEncoder().encodeToString(randomHex(24).getBytes(StandardCharsets.US_ASCII)));
        ObjectNode s3 = record.putObject("s3").put("s3SchemaVersion", "1.0").put("configurationId", rule.id());
        s3.putObject("bucket").put("name", bucket).put("arn", "arn:aws:s3:::" + bucket)
                .putObject("ownerIdentity").put("principalId", PRINCIPAL);
        // no versionId: the bucket is not versioned
        s3.putObject("object").put("key", eventKey(object.key())).put("size", object.size())
                .put("eTag", object.eTag().replace("\"", "")).put("sequencer", String.format("%016X", sequence));
        ObjectNode event = JSON.createObjectNode();
        event.putArray("Records").add(record);
        return event.toString();
    }

    /** A key as S3 writes it into events: form-encoded (a space is '+'), with its slashes kept. */
    static String eventKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Stops watching and drops the retries not yet due; deliveries already on their way may finish
     * (for a few seconds), so that everything announced before is sent.
     */
    @Override
    public void close() {
        watcher.shutdownNow();
        try {
            watcher.awaitTermination(5, TimeUnit.SECONDS); // a listing under way ends before the senders stop taking work
            senders.shutdown();
            if (!senders.awaitTermination(5, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            senders.shutdownNow();
            Thread.currentThread().interrupt();
        }
        s3.close();
    }
}
