package dev.e2bjobs.lambda;

import io.quarkus.funqy.lambda.FunqyLambdaBindingRecorder;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownContext;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Lets {@code @QuarkusIntegrationTest}s drive the packaged JAR. Quarkus runs the JAR against its mock
 * event server (passing {@value #TEST_API}), but builds the Lambda poll loop into native executables
 * only; so, in the JAR and only when that test-only property is set, Funqy's own poll loop is started
 * here. In Lambda the property is never set: the Java runtime calls the handler, as before.
 */
@ApplicationScoped
class IntegrationTestPollLoop {
    static final String TEST_API = "quarkus-internal.aws-lambda.test-api";
    private static final Logger LOG = Logger.getLogger(IntegrationTestPollLoop.class);

    void startWhenTested(@Observes StartupEvent start) {
        if (System.getProperty(TEST_API) == null || ImageMode.current() != ImageMode.JVM || LaunchMode.current() != LaunchMode.NORMAL) {
            return;
        }
        LOG.infof("integration test: polling the mock event server at %s", System.getProperty(TEST_API));
        new FunqyLambdaBindingRecorder(null, null, null).startPollLoop(new Tasks(), LaunchMode.NORMAL);
    }

    /** The poll loop's shutdown tasks, run when the JVM stops. */
    private static final class Tasks implements ShutdownContext {
        private final List<Runnable> tasks = new ArrayList<>();

        Tasks() {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> tasks.forEach(Runnable::run), "poll-loop-shutdown"));
        }

        @Override
        public synchronized void addShutdownTask(Runnable task) {
            tasks.add(task);
        }

        @Override
        public synchronized void addLastShutdownTask(Runnable task) {
            tasks.add(task);
        }
    }
}
