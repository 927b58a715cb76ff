package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.local.e2b.LocalE2bSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The packaged artifact behind the local gateway, as scripts/run-local runs it (after `package`, so
 * it is an integration test): jobs over plain HTTP, the scheduled sweep, and a clean stop.
 */
class LocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> call(String method, String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jobsRunThroughTheGatewayAndTheStackStopsEverythingItStarted() throws Exception {
        LocalStack stack = new LocalStack();
        try (stack) {
            stack.start(0, 1, LocalE2bSettings.defaults());
            String api = "http://127.0.0.1:" + stack.port();

            HttpResponse<String> done = call("POST", api + "/jobs?wait=25",
                    "{\"files\":{\"main.py\":\"print(6*7)\"},\"command\":\"python main.py\"}");
            assertEquals(202, done.statusCode(), done.body());
            JsonNode job = JSON.readTree(done.body());
            assertEquals("SUCCEEDED", job.path("status").asText(), done.body());
            assertEquals("42\n", job.path("stdout").path("text").asText());

            HttpResponse<String> unpolled = call("POST", api + "/jobs",
                    "{\"files\":{\"main.py\":\"import time\\ntime.sleep(1)\\nprint('late')\"},\"command\":\"python main.py\",\"labels\":{\"t\":\"sweep\"}}");
            String jobId = JSON.readTree(unpolled.body()).path("jobId").asText();
            JsonNode swept = null;
            for (int i = 0; i < 60 && swept == null; i++) {
                Thread.sleep(250);
                // listing does not finalize: only the scheduled sweep can have finished this job
                for (JsonNode listed : JSON.readTree(call("GET", api + "/jobs?label=t:sweep", null).body()).path("jobs")) {
                    if (listed.path("jobId").asText().equals(jobId) && listed.path("status").asText().equals("SUCCEEDED")) {
                        swept = listed;
                    }
                }
            }
            assertTrue(swept != null, "the sweep finalized the job nobody polled");

            HttpResponse<String> rejected = call("POST", api + "/jobs", "{\"files\":{\"../x\":\"1\"},\"command\":\"true\"}");
            assertEquals(400, rejected.statusCode());
            assertEquals("application/problem+json", rejected.headers().firstValue("Content-Type").orElse(""));
            assertEquals(404, call("GET", api + "/no-such-route", null).statusCode());
        }
        assertFalse(stack.anyProcessAlive(), "every function process and DynamoDB Local stopped");
    }
}
