package dev.e2bjobs.e2b;

import dev.e2bjobs.config.AppConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

/** Adds the team's API key to every control-plane request; the key itself is never logged. */
@ApplicationScoped
public class E2bApiKeyFilter implements ClientRequestFilter {
    private final AppConfig config;

    E2bApiKeyFilter(AppConfig config) {
        this.config = config;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle("X-API-Key", config.e2b().apiKey().value());
    }
}
