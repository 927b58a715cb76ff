package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;

/** The Invoke API on its own, as a Quarkus test resource runs it, called with the AWS SDK's own LambdaClient. */
class LambdaInvokeApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A LambdaClient the way the functions build one, pointed at {@code api}. */
    static LambdaClient client(String url) {
        return LambdaClient.builder().endpointOverride(URI.create(url)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    static InvokeResponse invoke(LambdaClient lambda, String function, InvocationType type, String payload) {
        return lambda.invoke(request -> request.functionName(function).invocationType(type).payload(SdkBytes.fromUtf8String(payload)));
    }

    /** GET /_local/invocations: per function the count and the last payloads. */
    static JsonNode invocations(String url) throws Exception {
        return JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/_local/invocations")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void recordsWhatItIsAskedToInvokeByNameOrArn() throws Exception {
        try (LambdaInvokeApi api = LambdaInvokeApi.recording(0, "launch"); LambdaClient lambda = client(api.url())) {
            InvokeResponse sync = invoke(lambda, "arn:aws:lambda:eu-west-1:123456789012:function:launch", InvocationType.REQUEST_RESPONSE, "{\"n\":1}");
            assertEquals(200, sync.statusCode());
            assertEquals("null", sync.payload().asUtf8String());
            assertNull(sync.functionError());
            assertEquals(202, invoke(lambda, "launch:$LATEST", InvocationType.EVENT, "{\"n\":2}").statusCode());

            JsonNode launch = invocations(api.url()).path("launch");
            assertEquals(2, launch.path("count").asInt());
            assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), List.of(launch.path("payloads").get(0).asText(), launch.path("payloads").get(1).asText()));
        }
    }

    @Test
    void aFunctionErrorComesBackAsTheFunctionsPayloadFlaggedUnhandled() throws Exception {
        Invocable fails = (event, timeout) -> new Invocable.Outcome(true, "{\"errorMessage\":\"boom\"}");
        try (LambdaInvokeApi api = new LambdaInvokeApi(0, Map.of("launch", fails)); LambdaClient lambda = client(api.url())) {
            InvokeResponse response = invoke(lambda, "launch", InvocationType.REQUEST_RESPONSE, "{}");
            assertEquals(200, response.statusCode());
            assertEquals("Unhandled", response.functionError());
            assertEquals("{\"errorMessage\":\"boom\"}", response.payload().asUtf8String());
        }
    }

    @Test
    void aFailedEventIsRetriedTwiceAfterTheRetryDelays() throws Exception {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        CountDownLatch threeAttempts = new CountDownLatch(3);
        Invocable fails = (event, timeout) -> {
            attempts.add(System.nanoTime());
            threeAttempts.countDown();
            return new Invocable.Outcome(true, "{\"errorMessage\":\"boom\"}");
        };
        try (LambdaInvokeApi api = new LambdaInvokeApi(0, Map.of("launch", fails)); LambdaClient lambda = client(api.url())) {
            assertEquals(202, invoke(lambda, "launch", InvocationType.EVENT, "{}").statusCode());
            assertTrue(threeAttempts.await(10, TimeUnit.SECONDS), "three attempts: " + attempts.size());
            for (int retry = 1; retry <= 2; retry++) {
                Duration waited = Duration.ofNanos(attempts.get(retry) - attempts.get(retry - 1));
                assertTrue(waited.compareTo(LambdaInvokeApi.RETRY_DELAYS.get(retry - 1)) >= 0, "retry " + retry + " after " + waited);
            }
        }
    }

    @Test
    void payloadsUpToLambdasLimitsPassLargerOnesAre413() throws Exception {
        try (LambdaInvokeApi api = LambdaInvokeApi.recording(0, "launch"); LambdaClient lambda = client(api.url())) {
            assertEquals(202, invoke(lambda, "launch", InvocationType.EVENT, ofSize(LambdaInvokeApi.MAX_EVENT_BYTES)).statusCode());
            assertEquals(200, invoke(lambda, "launch", InvocationType.REQUEST_RESPONSE, ofSize(RuntimeApi.MAX_PAYLOAD_BYTES)).statusCode());
            for (InvocationType type : List.of(InvocationType.EVENT, InvocationType.REQUEST_RESPONSE)) {
                int limit = type == InvocationType.EVENT ? LambdaInvokeApi.MAX_EVENT_BYTES : RuntimeApi.MAX_PAYLOAD_BYTES;
                LambdaException tooLarge = assertThrows(LambdaException.class, () -> invoke(lambda, "launch", type, ofSize(limit + 1)));
                assertEquals(413, tooLarge.statusCode());
                assertEquals("RequestEntityTooLargeException", tooLarge.awsErrorDetails().errorCode());
            }
            assertEquals(2, invocations(api.url()).path("launch").path("count").asInt(), "refused payloads are not invocations");
        }
    }

    /** A JSON string of exactly {@code size} bytes. */
    private static String ofSize(int size) {
        return "\"" + "x".repeat(size - 2) + "\"";
    }
}
