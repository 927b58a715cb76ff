package dev.e2bjobs.secrets;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.config.AwsAccess;
import dev.e2bjobs.config.Secret;
import dev.e2bjobs.config.SecretSource;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/** Secrets from AWS Secrets Manager (GetSecretValue); the client is built on first use, so functions that read none pay nothing. */
@ApplicationScoped
public class SecretsManagerSource implements SecretSource {
    private final AppConfig config;
    private SecretsManagerClient client;

    SecretsManagerSource(AppConfig config) {
        this.config = config;
    }

    @Override
    public Secret read(String secretId) {
        return new Secret(client().getSecretValue(b -> b.secretId(secretId)).secretString());
    }

    private synchronized SecretsManagerClient client() {
        if (client == null) {
            SecretsManagerClientBuilder builder = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create())
                    .region(AwsAccess.region(config)).credentialsProvider(AwsAccess.credentials(config));
            config.aws().secretsEndpoint().ifPresent(builder::endpointOverride);
            client = builder.build();
        }
        return client;
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
