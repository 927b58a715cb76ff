package dev.e2bjobs.sandbox;

import java.util.Objects;

/**
 * Enough to reach a created sandbox again from another invocation: its id, the token its daemon
 * demands, and the domain it was placed in (null for the configured default).
 */
public record SandboxRef(String sandboxId, String accessToken, String domain) {

    public SandboxRef {
        Objects.requireNonNull(sandboxId, "sandboxId");
    }

    /** The access token is a credential: it stays out of logs. */
    @Override
    public String toString() {
        return "SandboxRef[sandboxId=" + sandboxId + ", accessToken=" + (accessToken == null ? "none" : "****")
                + ", domain=" + domain + "]";
    }
}
