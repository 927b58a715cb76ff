package dev.e2bjobs.job;

import java.util.ArrayList;
import java.util.List;

/** Records the launches asked for, for domain tests. */
final class RecordingLaunchTrigger implements LaunchTrigger {
    final List<List<String>> triggered = new ArrayList<>();

    @Override
    public synchronized void trigger(String reason, List<String> jobIds) {
        triggered.add(List.copyOf(jobIds));
    }
}
