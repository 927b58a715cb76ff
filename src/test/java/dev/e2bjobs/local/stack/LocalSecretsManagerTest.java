package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** The local Secrets Manager on its own, called with the AWS SDK's own SecretsManagerClient. */
class LocalSecretsManagerTest {
    private static final String NAME = "e2b-jobs/e2b-api-key";
    private LocalSecretsManager secrets;
    private SecretsManagerClient client;

    /** A SecretsManagerClient the way a function would build one, pointed at {@code url}. */
    static SecretsManagerClient client(String url) {
        return SecretsManagerClient.builder().endpointOverride(URI.create(url)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @BeforeEach
    void start() throws Exception {
        secrets = new LocalSecretsManager(0);
        client = client(secrets.url());
    }

    @AfterEach
    void stop() {
        client.close();
        secrets.close();
    }

    private GetSecretValueResponse get(String secretId) {
        return client.getSecretValue(request -> request.secretId(secretId));
    }

    @Test
    void aSecretIsReadByNameOrByArn() {
        String arn = secrets.put(NAME, "e2b_0123456789abcdef");
        assertEquals("arn:aws:secretsmanager:us-east-1:000000000000:secret:e2b-jobs/e2b-api-key", arn);

        for (String secretId : List.of(NAME, arn)) {
            GetSecretValueResponse secret = get(secretId);
            assertEquals("e2b_0123456789abcdef", secret.secretString());
            assertEquals(arn, secret.arn());
            assertEquals(NAME, secret.name());
            assertEquals(List.of("AWSCURRENT"), secret.versionStages());
            assertTrue(Duration.between(secret.createdDate(), Instant.now()).abs().getSeconds() < 60, secret.createdDate().toString());
        }
    }

    @Test
    void theAdminCallRotatesASecretToANewVersion() throws Exception {
        secrets.put(NAME, "e2b_0123456789abcdef");
        String before = get(NAME).versionId();

        HttpResponse<String> rotated = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(secrets.url() + "/_local/secrets/" + NAME))
                .PUT(HttpRequest.BodyPublishers.ofString("e2b_fedcba9876543210")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, rotated.statusCode(), rotated.body());
        assertEquals("e2b_fedcba9876543210", get(NAME).secretString());
        assertNotEquals(before, get(NAME).versionId());
    }

    @Test
    void anUnknownSecretIsResourceNotFound() {
        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class, () -> get("no-such-secret"));
        assertEquals(400, missing.statusCode());
        assertEquals("Secrets Manager can't find the specified secret.", missing.awsErrorDetails().errorMessage());
    }

    @Test
    void everyOtherOperationIsUnknown() {
        SecretsManagerException unknown = assertThrows(SecretsManagerException.class, () -> client.listSecrets());
        assertEquals(400, unknown.statusCode());
        assertEquals("UnknownOperationException", unknown.awsErrorDetails().errorCode());
    }
}
