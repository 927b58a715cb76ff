package dev.e2bjobs.sandbox;

import java.time.Instant;
import java.util.Map;

/** A sandbox as the provider lists it. */
public record SandboxInfo(String sandboxId, String template, State state, Instant startedAt, Instant endAt,
        Map<String, String> metadata) {

    public enum State { RUNNING, PAUSED }

    public SandboxInfo {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
