package dev.e2bjobs.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.e2bjobs.environment.Environment;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * A cached environment as GET /environments shows it: its key (template, requirements, the install's
 * network), what the install resolved them to and how much it added, and how it has been used.
 * A failed build shows the end of its log and when the next job may try again.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentView(String environmentId, String state, String template, List<String> requirements, boolean internet,
        List<String> resolved, Long sizeBytes, long hits, Instant createdAt, Instant lastUsedAt, String buildLog, Instant retryAt) {

    /** GET /environments: the caller's environments, the most recently used first. */
    @RegisterForReflection
    public record Page(List<EnvironmentView> environments) {

        static Page of(List<Environment> environments) {
            return new Page(environments.stream().sorted(Comparator.comparing(Environment::lastUsedAt).reversed())
                    .map(EnvironmentView::of).toList());
        }
    }

    static EnvironmentView of(Environment environment) {
        return new EnvironmentView(environment.id(), environment.state().name(), environment.key().template(),
                environment.key().requirements(), environment.key().installEgress().anywhere(),
                environment.frozen() == null ? null : environment.frozen().lines().filter(line -> !line.isBlank()).toList(),
                environment.sizeBytes(), environment.hits(), environment.createdAt(), environment.lastUsedAt(), environment.buildLog(),
                environment.retryAt());
    }
}
