package dev.e2bjobs.environment;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Environments in a map, with the store's conditional replace, for domain tests. */
public final class InMemoryEnvironmentStore implements EnvironmentStore {
    final Map<String, Environment> environments = new ConcurrentHashMap<>();

    @Override
    public Optional<Environment> find(String id) {
        return Optional.ofNullable(environments.get(id));
    }

    @Override
    public synchronized boolean replace(Environment next, Environment previous) {
        Environment stored = environments.get(next.id());
        if (previous == null ? stored != null : stored == null || !sameVersion(stored, previous)) {
            return false;
        }
        environments.put(next.id(), next);
        return true;
    }

    /** What the DynamoDB store's condition compares. */
    private static boolean sameVersion(Environment stored, Environment read) {
        return stored.state() == read.state() && stored.failures() == read.failures()
                && Objects.equals(stored.leaseUntil(), read.leaseUntil()) && Objects.equals(stored.retryAt(), read.retryAt());
    }

    @Override
    public void recordUse(String id, Instant at) {
        environments.computeIfPresent(id, (key, environment) -> environment.used(at));
    }

    @Override
    public List<Environment> all() {
        return List.copyOf(environments.values());
    }

    @Override
    public void delete(String id) {
        environments.remove(id);
    }
}
