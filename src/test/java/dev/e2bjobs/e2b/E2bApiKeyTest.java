package dev.e2bjobs.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.config.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The API key is read from its secret once, and again only after E2B rejects the key in use. */
class E2bApiKeyTest {
    private final List<String> reads = new ArrayList<>();
    private String stored = "e2b_aaaa";
    private final E2bApiKey key = new E2bApiKey(Optional.of("arn:secret"), Optional.empty(), secretId -> {
        reads.add(secretId);
        return new Secret(stored);
    });

    @Test
    void theSecretIsReadOncePerContainer() {
        assertEquals("e2b_aaaa", key.current().value());
        assertEquals("e2b_aaaa", key.current().value());
        assertEquals(List.of("arn:secret"), reads);
    }

    @Test
    void aRejectedKeyIsReadAgainOnceAndARotatedOneTakesOver() {
        Secret rejected = key.current();
        assertFalse(key.renewAfterRejection(rejected), "the secret still holds the rejected key");

        stored = "e2b_bbbb";
        assertTrue(key.renewAfterRejection(rejected));
        assertEquals("e2b_bbbb", key.current().value());
        assertTrue(key.renewAfterRejection(rejected), "another caller rejected the old key: already renewed, no read");
        assertEquals(3, reads.size());
    }

    @Test
    void aConfiguredKeyIsNeverReadAgain() {
        E2bApiKey local = new E2bApiKey(Optional.empty(), Optional.of(new Secret("e2b_cccc")), secretId -> {
            throw new AssertionError("no secret to read");
        });
        assertFalse(local.renewAfterRejection(local.current()));
    }
}
