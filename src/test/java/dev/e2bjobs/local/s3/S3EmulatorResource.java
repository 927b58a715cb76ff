package dev.e2bjobs.local.s3;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** The S3 emulator for a Quarkus test run; the app stores large results there. */
public class S3EmulatorResource implements QuarkusTestResourceLifecycleManager {
    private S3Emulator emulator;

    @Override
    public Map<String, String> start() {
        try {
            emulator = S3Emulator.start();
        } catch (Exception e) {
            throw new IllegalStateException("the S3 emulator did not start", e);
        }
        return emulator.appConfig();
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
        }
    }
}
