package dev.e2bjobs.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** DELETE /jobs/{jobId} on the packaged artifact. */
@QuarkusIntegrationTest
@TestProfile(CancelFunctionTest.Cancel.class)
class CancelFunctionIT extends CancelFunctionTest {
}
