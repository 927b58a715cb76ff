package dev.e2bjobs.webhook;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.config.Secret;
import dev.e2bjobs.config.SecretSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** The deployment's webhook signing secret, read from its secret once per container (or, in tests, from configuration). */
@ApplicationScoped
public class WebhookSigningKey implements Supplier<byte[]> {
    private final AppConfig.Webhooks config;
    private final SecretSource secrets;
    private Secret key;

    WebhookSigningKey(AppConfig config, SecretSource secrets) {
        this.config = config.webhooks();
        this.secrets = secrets;
    }

    @Override
    public synchronized byte[] get() {
        if (key == null) {
            key = config.secretArn().map(secrets::read).or(config::secret)
                    .orElseThrow(() -> new IllegalStateException("no webhook signing secret: set WEBHOOK_SECRET_ARN"));
        }
        return key.value().getBytes(StandardCharsets.UTF_8);
    }
}
