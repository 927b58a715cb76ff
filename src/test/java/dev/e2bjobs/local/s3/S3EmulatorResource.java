package dev.e2bjobs.local.s3;

import software.amazon.awssdk.services.s3.S3Client;
import dev.e2bjobs.local.StandIn;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/** The S3 emulator for a Quarkus test run; the app stores large results there. */
public class S3EmulatorResource implements QuarkusTestResourceLifecycleManager {
    /** The bucket the app is given, so that a test sees the same one. */
    public static final String BUCKET = "e2b-jobs-artifacts";
    private S3Emulator emulator;

    @Override
    public Map<String, String> start() {
        try {
            emulator = S3Emulator.start();
        } catch (Exception e) {
            throw new IllegalStateException("the S3 emulator did not start", e);
        }
        Map<String, String> config = new HashMap<>(emulator.appConfig());
        config.put("e2bjobs.artifacts.bucket", BUCKET);
        return config;
    }

    /** Fills {@code @StandIn S3Client} fields: a client of the emulator, configured as the app's. */
    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(emulator.client(), new TestInjector.AnnotatedAndMatchesType(StandIn.class, S3Client.class));
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }
}
