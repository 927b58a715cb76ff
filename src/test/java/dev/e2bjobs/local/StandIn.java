package dev.e2bjobs.local;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test field that a stand-in's test resource fills with a handle on it (the E2B server's admin API, the jobs
 * table, the bucket, the recorded hand-offs). The stand-ins run in the test's JVM, so this works for a
 * {@code @QuarkusTest} and for its {@code @QuarkusIntegrationTest} mirror alike, where nothing is injected from the app.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface StandIn {
}
