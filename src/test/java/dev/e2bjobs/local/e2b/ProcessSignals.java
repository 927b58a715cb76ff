package dev.e2bjobs.local.e2b;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Signals Java cannot send itself (STOP, CONT), and killing a process tree that is still forking. */
final class ProcessSignals {
    private ProcessSignals() {
    }

    /** Sends {@code signal} (a name kill(1) knows: STOP, CONT, KILL...) to every pid; gone pids are skipped. */
    static void send(String signal, Collection<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, "--"));
        pids.forEach(pid -> command.add(String.valueOf(pid)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("kill(1) could not be run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills {@code root} and all its descendants. They are stopped first, until no new one appears, so
     * that a child forked meanwhile cannot escape to the sandbox's init and outlive the kill.
     */
    static void killTree(ProcessHandle root) {
        Set<Long> stopped = new LinkedHashSet<>();
        Set<Long> tree = treeOf(root);
        while (!stopped.containsAll(tree)) {
            send("STOP", tree);
            stopped.addAll(tree);
            tree = treeOf(root);
        }
        send("KILL", stopped);
    }

    private static Set<Long> treeOf(ProcessHandle root) {
        Set<Long> pids = new LinkedHashSet<>();
        if (root.isAlive()) {
            pids.add(root.pid());
        }
        root.descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }
}
