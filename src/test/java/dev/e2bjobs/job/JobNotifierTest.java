package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Completion callbacks: on every end, signed, retried on 5xx and network errors, each attempt on the job; never to a private address. */
class JobNotifierTest {
    private final JobsOnFakes jobs = new JobsOnFakes(TestSettings.DEFAULTS);

    private String endedWithCallback(String url) {
        JobRequest request = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)")), "python main.py", null, null,
                null, null, 60, null, null, null, url);
        String jobId = jobs.submitAndLaunch(request);
        jobs.sandboxes.finish(jobs.sandboxOf(jobId), "command 0", "", Map.of());
        jobs.finalizer.look(jobs.job(jobId));
        return jobId;
    }

    private CallbackDelivery deliver(String jobId) {
        return jobs.notifier.deliver(jobId, (job, at) -> ("{\"job\":\"" + job.jobId() + "\",\"status\":\"" + job.status() + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String hmac(String timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(JobsOnFakes.SIGNING_KEY, "HmacSHA256"));
        mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void theEndOfAJobWithACallbackIsHandedOnAndItsViewArrivesSigned() throws Exception {
        String jobId = endedWithCallback("https://hooks.example.com/e2b");
        assertEquals(List.of(jobId), jobs.web.triggered, "whoever ended the job handed its callback on");

        CallbackDelivery delivery = deliver(jobId);

        assertEquals(CallbackDelivery.State.DELIVERED, delivery.state());
        FakeWeb.Received got = jobs.web.received.get(0);
        assertEquals("93.184.216.34", got.target().address().getHostAddress(), "connected to the address that was checked");
        assertTrue(new String(got.body(), StandardCharsets.UTF_8).contains("\"status\":\"SUCCEEDED\""));
        String timestamp = got.headers().get(JobNotifier.TIMESTAMP_HEADER);
        assertEquals(String.valueOf(jobs.clock.instant().getEpochSecond()), timestamp);
        assertEquals(hmac(timestamp, got.body()), got.headers().get(JobNotifier.SIGNATURE_HEADER));
        assertEquals(delivery, jobs.job(jobId).callback(), "the outcome is recorded on the job");
        assertEquals(delivery, deliver(jobId), "a delivered callback is not sent twice");
        assertEquals(1, jobs.web.received.size());
    }

    @Test
    void aFailingReceiverIsTriedAgainAndA4xxIsFinal() {
        String jobId = endedWithCallback("https://hooks.example.com/e2b");
        jobs.web.answers.add(500);
        jobs.web.answers.add(null);
        assertEquals(CallbackDelivery.State.DELIVERED, deliver(jobId).state());
        assertEquals(3, jobs.job(jobId).callback().attempts(), "500, unreachable, then 200");

        String refused = endedWithCallback("https://hooks.example.com/e2b");
        jobs.web.answers.add(404);
        CallbackDelivery failed = deliver(refused);
        assertEquals(CallbackDelivery.State.FAILED, failed.state());
        assertEquals(404, failed.lastStatus());
        assertEquals(1, failed.attempts());

        String down = endedWithCallback("https://hooks.example.com/e2b");
        jobs.web.answers.addAll(java.util.Arrays.asList(503, 503, 503));
        assertEquals(3, deliver(down).attempts(), "at most three attempts");
    }

    @Test
    void aNameThatResolvesToAPrivateAddressByDeliveryTimeGetsNothing() {
        String jobId = endedWithCallback("https://hooks.example.com/e2b");
        jobs.web.resolves("hooks.example.com", "169.254.169.254"); // DNS rebinding after the submit

        CallbackDelivery delivery = deliver(jobId);

        assertEquals(CallbackDelivery.State.FAILED, delivery.state());
        assertNull(delivery.lastStatus());
        assertTrue(jobs.web.received.isEmpty());
    }

    @Test
    void anOwnersDefaultCallbackServesItsJobsAndABadUrlIsRefusedAtSubmit() {
        Job job = jobs.intake.submit("hooked", JobsOnFakes.job(60), null);
        assertEquals("https://hooks.example.com/default", job.spec().callbackUrl());
        assertNull(jobs.intake.submit("ann", JobsOnFakes.job(60), null).spec().callbackUrl(), "another owner's default is not ann's");

        JobRequest internal = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)")), "python main.py", null, null,
                null, null, 60, null, null, null, "https://10.0.0.1/hook");
        InvalidJobRequestException refused = org.junit.jupiter.api.Assertions.assertThrows(InvalidJobRequestException.class,
                () -> jobs.intake.submit("ann", internal, null));
        assertEquals("CALLBACK_URL_INVALID", refused.code());
        assertEquals(2, jobs.store.list("hooked", null, null, null, 10).jobs().size() + jobs.store.list("ann", null, null, null, 10).jobs().size());
    }
}
