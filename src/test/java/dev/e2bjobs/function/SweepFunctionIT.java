package dev.e2bjobs.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** The scheduled sweep on the packaged artifact. */
@QuarkusIntegrationTest
@TestProfile(SweepFunctionTest.Sweep.class)
class SweepFunctionIT extends SweepFunctionTest {
}
