package dev.e2bjobs.environment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where environments are kept between invocations. */
public interface EnvironmentStore {
    Optional<Environment> find(String id);

    /**
     * Takes the build of an environment: stores {@code building} if no environment has its id, or if
     * {@code previous} (the record it was read as) is still what is stored; false when another launcher
     * got there first. One builder per key however many launchers race.
     */
    boolean claim(Environment building, Environment previous);

    /** Replaces the stored record (a build's start or end). */
    void save(Environment next);

    /** Counts a job started from the environment, in place (racing launchers all count); nothing if it is gone. */
    void recordUse(String id, Instant at);

    /** Every environment of the deployment (few: a cap per owner bounds them). */
    List<Environment> all();

    void delete(String id);
}
