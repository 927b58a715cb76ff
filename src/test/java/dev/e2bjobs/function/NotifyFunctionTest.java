package dev.e2bjobs.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.e2bjobs.job.InvalidJobRequestException;
import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.JobLauncher;
import dev.e2bjobs.job.JobQueries;
import dev.e2bjobs.job.JobRequest;
import dev.e2bjobs.job.JobStatus;
import dev.e2bjobs.job.JobStore;
import dev.e2bjobs.local.StandIn;
import dev.e2bjobs.local.stack.HandOffs;
import dev.e2bjobs.local.webhook.WebhookReceiverResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Completion callbacks through the notify function, to an HTTPS receiver on loopback (allowed in test mode only). */
@QuarkusTest
@TestProfile(NotifyFunctionTest.Notify.class)
class NotifyFunctionTest {

    public static class Notify extends Jobs.Profile {
        @Override
        String function() {
            return "notify";
        }

        @Override
        public List<TestResourceEntry> testResources() {
            List<TestResourceEntry> resources = new ArrayList<>(super.testResources());
            resources.add(new TestResourceEntry(WebhookReceiverResource.class));
            return resources;
        }
    }

    @Inject
    JobIntake intake;

    @Inject
    JobLauncher launcher;

    @Inject
    JobQueries queries;

    @Inject
    JobStore store;

    @ConfigProperty(name = "test.webhook.url")
    String receiver;

    @ConfigProperty(name = "test.webhook.admin")
    String receiverAdmin;

    @StandIn
    HandOffs handOffs;

    private final HttpClient http = HttpClient.newHttpClient();

    private String endedJob(String callbackUrl) {
        JobRequest request = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print('called back')")), "python main.py",
                null, null, null, null, 60, null, Map.of("hook", "yes"), null, callbackUrl);
        String jobId = Jobs.started(intake, launcher, Jobs.OWNER, request);
        assertEquals(JobStatus.SUCCEEDED, queries.status(Jobs.OWNER, jobId, Duration.ofSeconds(20)).status());
        return jobId;
    }

    private JsonNode notify(String jobId) {
        return Lambda.invoke(Lambda.event("lambda-notify.json").put("jobId", jobId));
    }

    private JsonNode received() throws Exception {
        return Lambda.JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(receiverAdmin + "/received")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static String signature(String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(WebhookReceiverResource.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anEndedJobsViewReachesItsReceiverSignedOverHttps() throws Exception {
        int before = received().size();
        String jobId = endedJob(receiver + "/hooks/a");
        assertEquals(jobId, handOffs.last("notify").path("jobId").asText(), "the end handed the callback on");

        JsonNode outcome = notify(jobId);

        assertEquals("DELIVERED", outcome.path("state").asText(), outcome.toString());
        JsonNode got = received().get(before);
        assertEquals("/hooks/a", got.path("path").asText());
        assertEquals(signature(got.path("timestamp").asText(), got.path("body").asText()), got.path("signature").asText());
        JsonNode body = Lambda.JSON.readTree(got.path("body").asText());
        assertEquals("job.ended", body.path("event").asText());
        assertEquals(jobId, body.path("job").path("jobId").asText());
        assertEquals("SUCCEEDED", body.path("job").path("status").asText());
        assertEquals("called back\n", body.path("job").path("stdout").path("text").asText());
        JobView.Callback shown = JobView.of(store.stored(jobId), null).callback();
        assertEquals(receiver + "/hooks/a", shown.url());
        assertEquals("DELIVERED", shown.state(), "GET /jobs/{jobId} shows how the callback went");
        assertEquals(1, shown.attempts());
    }

    @Test
    void aReceiverThatFailsOnceGetsTheCallbackAgain() throws Exception {
        String jobId = endedJob(receiver + "/hooks/b");
        http.send(HttpRequest.newBuilder(URI.create(receiverAdmin + "/fail/1")).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        JsonNode outcome = notify(jobId);

        assertEquals("DELIVERED", outcome.path("state").asText(), outcome.toString());
        assertEquals(2, outcome.path("attempts").asInt(), "the 500 was retried");
        assertEquals(2, store.stored(jobId).callback().attempts());
    }

    @Test
    void onlyTheTestReceiversOriginOnLoopbackMayBeCalledBack() {
        JobRequest elsewhere = new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)")), "python main.py", null, null,
                null, null, 60, null, null, null, "https://localhost:1/hooks");
        assertEquals("CALLBACK_URL_INVALID", assertThrows(InvalidJobRequestException.class,
                () -> intake.submit(Jobs.OWNER, elsewhere, null)).code());
    }
}
