package dev.e2bjobs.environment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where environments are kept between invocations. */
public interface EnvironmentStore {
    Optional<Environment> find(String id);

    /**
     * Every change of an environment but a use: stores {@code next} if no environment has its id and
     * {@code previous} is null, or if {@code previous} (the record as it was read) is still what is
     * stored — the same state, failure count and lease or retry time. False when another launcher or
     * sweep changed it, or somebody dropped it, since: one builder per key however many launchers
     * race, and a dropped environment is never written back.
     */
    boolean replace(Environment next, Environment previous);

    /** Counts a job started from the environment, in place (racing launchers all count); nothing if it is gone. */
    void recordUse(String id, Instant at);

    /** Every environment of the deployment (few: a cap per owner bounds them). */
    List<Environment> all();

    void delete(String id);
}
