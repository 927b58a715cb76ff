package dev.e2bjobs.e2b;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.config.Secret;
import dev.e2bjobs.config.SecretSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The team's E2B API key: read from its secret once per container, and once more when E2B rejects
 * it (the secret was rotated); or, for local stand-ins, taken from configuration. Never logged.
 */
@ApplicationScoped
public class E2bApiKey {
    private static final Logger LOG = Logger.getLogger(E2bApiKey.class);

    private final Optional<String> secretId;
    private final Optional<Secret> configured;
    private final SecretSource secrets;
    private Secret current;

    @Inject
    E2bApiKey(AppConfig config, SecretSource secrets) {
        this(config.e2b().apiKeySecret(), config.e2b().apiKey(), secrets);
    }

    E2bApiKey(Optional<String> secretId, Optional<Secret> configured, SecretSource secrets) {
        this.secretId = secretId;
        this.configured = configured;
        this.secrets = secrets;
    }

    public synchronized Secret current() {
        if (current == null) {
            current = read();
        }
        return current;
    }

    /** E2B answered 401 to {@code rejected}: true if a different key is now current (read again, or by another thread). */
    public synchronized boolean renewAfterRejection(Secret rejected) {
        if (current != null && !current.equals(rejected)) {
            return true;
        }
        if (secretId.isEmpty()) {
            return false;
        }
        current = read();
        boolean renewed = !current.equals(rejected);
        LOG.infof("E2B rejected the API key; read its secret again: %s", renewed ? "a new key" : "the same key");
        return renewed;
    }

    private Secret read() {
        return secretId.map(secrets::read).or(() -> configured)
                .orElseThrow(() -> new IllegalStateException("no E2B API key: set E2B_API_KEY_SECRET_ARN (or E2B_API_KEY locally)"));
    }
}
