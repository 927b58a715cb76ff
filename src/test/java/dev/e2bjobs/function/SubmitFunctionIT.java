package dev.e2bjobs.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** POST /jobs and POST /jobs/batch on the packaged artifact. */
@QuarkusIntegrationTest
@TestProfile(SubmitFunctionTest.Submit.class)
class SubmitFunctionIT extends SubmitFunctionTest {
}
