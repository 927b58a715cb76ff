package dev.e2bjobs.job;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Completion callbacks: an ended job's view is POSTed to its callback URL, signed
 * ({@value #SIGNATURE_HEADER}: {@code sha256=<hex HMAC-SHA256 over "<timestamp>.<body>">} with the
 * deployment's webhook secret), retried after a growing wait on 5xx, 429 and network errors, and each
 * attempt recorded on the job. The URL's address is checked again before every attempt.
 */
public class JobNotifier {
    public static final String SIGNATURE_HEADER = "X-E2bJobs-Signature";
    public static final String TIMESTAMP_HEADER = "X-E2bJobs-Timestamp";

    private final JobStore store;
    private final CallbackTargets targets;
    private final WebhookSender sender;
    private final Supplier<byte[]> signingKey;
    private final JobSettings.Webhooks policy;
    private final Clock clock;
    private final JobEvents events;

    public JobNotifier(JobStore store, CallbackTargets targets, WebhookSender sender, Supplier<byte[]> signingKey,
            JobSettings.Webhooks policy, Clock clock, JobEvents events) {
        this.store = store;
        this.targets = targets;
        this.sender = sender;
        this.signingKey = signingKey;
        this.policy = policy;
        this.clock = clock;
        this.events = events;
    }

    /**
     * Delivers an ended job's callback, unless it has none or was delivered or given up before;
     * {@code body} renders the job as sent at a timestamp. Returns how it went.
     */
    public CallbackDelivery deliver(String jobId, BiFunction<Job, Instant, byte[]> body) {
        Job job = store.stored(jobId);
        CallbackDelivery delivery = job.callback() != null ? job.callback()
                : new CallbackDelivery(CallbackDelivery.State.DELIVERING, 0, null, null, null);
        if (!job.status().isTerminal() || job.spec().callbackUrl() == null) {
            return job.callback();
        }
        if (delivery.state() != CallbackDelivery.State.DELIVERING) {
            return delivery; // settled before: told about then
        }
        try (JobEvents.Scope about = events.about(job)) {
            while (delivery.state() == CallbackDelivery.State.DELIVERING) {
                pause(delivery.attempts());
                delivery = attempt(job, delivery.attempts() + 1, body);
                job = record(job, delivery);
            }
            events.callback(job, delivery);
        }
        return delivery;
    }

    private CallbackDelivery attempt(Job job, int attempt, BiFunction<Job, Instant, byte[]> body) {
        Instant now = clock.instant();
        boolean mayRetry = attempt < policy.maxAttempts();
        try {
            CallbackTargets.Target target = targets.check(job.spec().callbackUrl()); // DNS may have changed since the submit
            byte[] bytes = body.apply(job, now);
            int status = sender.post(target, signed(now, bytes), bytes);
            if (status >= 200 && status < 300) {
                return new CallbackDelivery(CallbackDelivery.State.DELIVERED, attempt, status, null, now);
            }
            boolean retry = mayRetry && (status >= 500 || status == 429);
            return new CallbackDelivery(retry ? CallbackDelivery.State.DELIVERING : CallbackDelivery.State.FAILED, attempt, status,
                    "the receiver answered " + status, now);
        } catch (InvalidJobRequestException notPublicAnyMore) {
            return new CallbackDelivery(CallbackDelivery.State.FAILED, attempt, null, notPublicAnyMore.getMessage(), now);
        } catch (RuntimeException unreachable) {
            return new CallbackDelivery(mayRetry ? CallbackDelivery.State.DELIVERING : CallbackDelivery.State.FAILED, attempt, null,
                    "the receiver could not be reached: " + unreachable.getMessage(), now);
        }
    }

    /** The headers that let a receiver check where the body came from and when. */
    Map<String, String> signed(Instant timestamp, byte[] body) {
        String seconds = String.valueOf(timestamp.getEpochSecond());
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(signingKey.get(), "HmacSHA256"));
            hmac.update((seconds + ".").getBytes(StandardCharsets.UTF_8));
            String signature = "sha256=" + HexFormat.of().formatHex(hmac.doFinal(body));
            return Map.of("Content-Type", "application/json", TIMESTAMP_HEADER, seconds, SIGNATURE_HEADER, signature);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private Job record(Job job, CallbackDelivery delivery) {
        Job current = job;
        while (true) {
            try {
                return store.update(current.withCallback(delivery));
            } catch (ConcurrentUpdateException e) {
                current = store.reload(current); // the slot was given back meanwhile
            }
        }
    }

    /** Before a retry: the first backoff, doubling with each attempt. */
    private void pause(int attemptsSoFar) {
        if (attemptsSoFar == 0) {
            return;
        }
        try {
            Thread.sleep(policy.firstBackoff().multipliedBy(1L << (attemptsSoFar - 1)).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
