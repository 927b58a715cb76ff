package dev.e2bjobs.job;

import java.util.Objects;

/**
 * The environment a job's requirements make (its id names it in GET /environments), and whether the
 * job's sandbox was created from it cached, or installed the requirements itself.
 */
public record JobEnvironment(String id, boolean cached) {

    public JobEnvironment {
        Objects.requireNonNull(id, "id");
    }
}
