package dev.e2bjobs.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Every validation rule against the packaged artifact (the JAR in `./mvnw verify`, the native executable with
 * -Dnative; the JAR polls Quarkus' mock event server through {@code lambda/IntegrationTestPollLoop}), through
 * its Lambda event as in AWS: the request body, the error answers and their JSON all go through Jackson, so a
 * shape the native image lost shows here; the table and the E2B server are looked into through the stand-ins.
 */
@QuarkusIntegrationTest
@TestProfile(SubmitFunctionTest.Submit.class)
class SubmitValidationIT extends SubmitValidationTest {
}
