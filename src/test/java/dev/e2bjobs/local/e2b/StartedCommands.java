package dev.e2bjobs.local.e2b;

import java.util.ArrayList;
import java.util.List;

/** The host processes a machine started for a sandbox's commands that are still alive. */
final class StartedCommands {
    private final List<Process> started = new ArrayList<>();

    synchronized void add(Process process) {
        started.removeIf(p -> !p.isAlive());
        started.add(process);
    }

    synchronized List<Process> alive() {
        return started.stream().filter(Process::isAlive).toList();
    }
}
