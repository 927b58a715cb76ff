package dev.e2bjobs.environment;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Environments in a map, with the store's claim semantics, for domain tests. */
public final class InMemoryEnvironmentStore implements EnvironmentStore {
    final Map<String, Environment> environments = new ConcurrentHashMap<>();

    @Override
    public Optional<Environment> find(String id) {
        return Optional.ofNullable(environments.get(id));
    }

    @Override
    public synchronized boolean claim(Environment building, Environment previous) {
        if (!Objects.equals(environments.get(building.id()), previous)) {
            return false;
        }
        environments.put(building.id(), building);
        return true;
    }

    @Override
    public void save(Environment next) {
        environments.put(next.id(), next);
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
