package dev.e2bjobs.local.stack;

import dev.e2bjobs.local.StandIn;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Lambda's Invoke API for a Quarkus test run, recording what the app hands to the launch, notify and follow
 * functions (running them is the test's to do: one Quarkus app serves one exported function).
 */
public class LambdaApiResource implements QuarkusTestResourceLifecycleManager {
    private LambdaInvokeApi api;

    @Override
    public Map<String, String> start() {
        try {
            api = LambdaInvokeApi.recording(0, "launch", "notify", "follow");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("e2bjobs.launch.endpoint", api.url(), "e2bjobs.launch.function", "launch", "e2bjobs.webhooks.function", "notify",
                "e2bjobs.follow.function", "follow");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(new HandOffs(api.url()), new TestInjector.AnnotatedAndMatchesType(StandIn.class, HandOffs.class));
    }

    @Override
    public void stop() {
        if (api != null) {
            api.close();
        }
    }
}
