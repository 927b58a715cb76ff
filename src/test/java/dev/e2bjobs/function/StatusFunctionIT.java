package dev.e2bjobs.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** GET /jobs/{jobId} and GET /jobs on the packaged artifact, over jobs queued in its table. */
@QuarkusIntegrationTest
@TestProfile(StatusFunctionTest.Status.class)
class StatusFunctionIT extends StatusFunctionTest {
}
