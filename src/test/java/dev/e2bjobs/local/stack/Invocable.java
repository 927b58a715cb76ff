package dev.e2bjobs.local.stack;

import java.time.Duration;

/**
 * A function as the local stand-ins of AWS services (the gateway, the Invoke API, the schedule) call
 * it: one event in, the function's outcome back.
 */
@FunctionalInterface
public interface Invocable {

    /** What the function answered: its output, or the error it reported. */
    record Outcome(boolean error, String body) {
    }

    /** Runs one invocation; a {@link java.util.concurrent.TimeoutException} if no answer came within {@code timeout}. */
    Outcome invoke(String event, Duration timeout) throws Exception;
}
