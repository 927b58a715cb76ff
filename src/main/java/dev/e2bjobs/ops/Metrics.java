package dev.e2bjobs.ops;

import dev.e2bjobs.config.AppConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Writes CloudWatch metrics as EMF documents ({@link EmfLine}) to standard output, each a log event
 * of its own: CloudWatch Logs needs the whole event to be the JSON document, so they bypass the
 * (JSON) log formatter, whose line would wrap them in a "message" string. Never throws.
 */
@Singleton
public class Metrics {
    private final String deployment;
    private final Clock clock;
    private final Consumer<String> out;

    @Inject
    Metrics(AppConfig config) {
        this(config.deployment(), Clock.systemUTC(), Metrics::print);
    }

    public Metrics(String deployment, Clock clock, Consumer<String> out) {
        this.deployment = deployment;
        this.clock = clock;
        this.out = out;
    }

    /** A new document, dimensioned by this deployment, stamped now. */
    public EmfLine line() {
        return new EmfLine(deployment, clock.instant());
    }

    public void emit(EmfLine line) {
        if (line.isEmpty()) {
            return;
        }
        try {
            out.accept(line.toJson());
        } catch (RuntimeException e) {
            // a metric lost is no reason to fail a job's work
        }
    }

    /** One println: PrintStream writes it whole, so lines of other threads do not cut into it. */
    private static void print(String json) {
        PrintStream stdout = System.out;
        stdout.println(json);
        stdout.flush();
    }
}
