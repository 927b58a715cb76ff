package dev.e2bjobs.function;

import io.quarkus.arc.Arc;

/**
 * The app's beans, looked up (a @QuarkusIntegrationTest refuses injected fields) to arrange what an event cannot:
 * a job started by the launch that another function would run. Tests that need them are
 * {@code @DisabledOnIntegrationTest}: the packaged artifact's beans are out of the test's reach.
 */
final class Beans {
    private Beans() {
    }

    static <T> T of(Class<T> type) {
        return Arc.container().instance(type).get();
    }
}
