package dev.e2bjobs.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Every validation rule against the packaged artifact (the JAR in `./mvnw verify`, the native executable with
 * -Dnative; the JAR polls Quarkus' mock event server through {@code lambda/IntegrationTestPollLoop}), through
 * its Lambda event as in AWS: the request body, the error answers and their JSON all go through Jackson, so a
 * shape the native image lost shows here. What the in-process test also checks by looking into the store and
 * the E2B stand-in is skipped ({@link #inProcess()}): nothing is injected into a @QuarkusIntegrationTest.
 */
@QuarkusIntegrationTest
@TestProfile(SubmitFunctionTest.Submit.class)
class SubmitValidationIT extends SubmitValidationTest {

    @Override
    boolean inProcess() {
        return false;
    }
}
