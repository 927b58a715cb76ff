package dev.e2bjobs.local.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The instances of one function, scaled out as Lambda scales: when an invocation arrives and no
 * instance is free, another one starts (a cold start), up to the function's maximum. Instances stay
 * up until the stack stops; they share one Runtime API, each polling it for its next invocation.
 */
final class FunctionInstances implements Invocable, AutoCloseable {

    /** Starts one instance: a process whose AWS_LAMBDA_RUNTIME_API is {@code runtimeApi}; instances are numbered from 1. */
    @FunctionalInterface
    interface Launcher {
        Process launch(String runtimeApi, int instance) throws IOException;
    }

    private final String function;
    private final int maxInstances;
    private final Launcher launcher;
    private final RuntimeApi api;
    private final List<Process> instances = new ArrayList<>();
    private boolean stopped;

    FunctionInstances(String function, int maxInstances, Launcher launcher) throws IOException {
        this.function = function;
        this.maxInstances = maxInstances;
        this.launcher = launcher;
        this.api = new RuntimeApi(function, this::scaleTo);
    }

    /** Starts the first instance: a quiet stack runs one per function; {@link #awaitReady} waits for it. */
    void start() {
        scaleTo(1);
    }

    boolean awaitReady(Duration timeout) throws InterruptedException {
        return api.awaitReady(timeout);
    }

    @Override
    public Outcome invoke(String event, Duration timeout) throws Exception {
        return api.invoke(event, timeout);
    }

    /** An instance for each invocation in progress, up to the maximum. */
    private synchronized void scaleTo(int concurrency) {
        while (!stopped && instances.size() < Math.min(concurrency, maxInstances)) {
            try {
                instances.add(launcher.launch(api.address(), instances.size() + 1));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start an instance of " + function, e);
            }
        }
    }

    /** Every instance started so far is up and waiting for work (none is cold-starting or busy). */
    synchronized boolean settled() {
        return api.idleInstances() >= instances.size();
    }

    synchronized int instanceCount() {
        return instances.size();
    }

    int invocationCount() {
        return api.invocations();
    }

    /** Peak resident memory of the largest instance in MiB (Linux /proc, VmHWM): what has to fit the function's memory size. */
    synchronized long maxMemoryMib() throws IOException {
        long max = 0;
        for (Process instance : instances) {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(instance.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    max = Math.max(max, Long.parseLong(line.replaceAll("\\D", "")) / 1024);
                }
            }
        }
        return max;
    }

    /** No more cold starts: the stack is stopping the instances (its launcher keeps every process it started). */
    synchronized void stopScaling() {
        stopped = true;
    }

    @Override
    public void close() {
        api.close();
    }
}
