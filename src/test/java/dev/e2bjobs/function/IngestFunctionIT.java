package dev.e2bjobs.function;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/** S3 notifications into ingest on the packaged artifact: what it refuses and what it leaves alone. */
@QuarkusIntegrationTest
@TestProfile(IngestFunctionTest.Ingest.class)
class IngestFunctionIT extends IngestFunctionTest {
}
