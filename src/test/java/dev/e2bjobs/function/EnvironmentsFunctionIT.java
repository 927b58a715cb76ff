package dev.e2bjobs.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** GET /environments and DELETE /environments/{environmentId} on the packaged artifact. */
@QuarkusIntegrationTest
@TestProfile(EnvironmentsFunctionTest.Environments.class)
class EnvironmentsFunctionIT extends EnvironmentsFunctionTest {
}
