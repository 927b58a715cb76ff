package dev.e2bjobs.e2b;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;

/** Adds the team's API key to every control-plane request; the key itself is never logged. */
@ApplicationScoped
public class E2bApiKeyFilter implements ClientRequestFilter {
    private final E2bApiKey apiKey;

    E2bApiKeyFilter(E2bApiKey apiKey) {
        this.apiKey = apiKey;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle("X-API-Key", apiKey.current().value());
    }
}
