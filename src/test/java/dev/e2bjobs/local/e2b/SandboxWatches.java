package dev.e2bjobs.local.e2b;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * A sandbox's open directory watches, the streamed and the polled ones (by watcherId). They all end when
 * the sandbox pauses or is killed, as envd's end with its VM, and none starts while it is not serving.
 */
final class SandboxWatches {
    private final BooleanSupplier serving;
    private final Set<DirWatch> open = new HashSet<>();
    private final Map<String, PolledWatch> polled = new HashMap<>();

    SandboxWatches(BooleanSupplier serving) {
        this.serving = serving;
    }

    /** Holds a new watch until it closes or the sandbox stops; unavailable (and closed) if the sandbox has stopped. */
    synchronized DirWatch track(DirWatch watch) {
        refuseUnlessServing(watch::close);
        open.add(watch);
        return watch;
    }

    synchronized void untrack(DirWatch watch) {
        open.remove(watch);
    }

    /** Keeps a polled watch under a new id, as envd names them ("w" + a random id). */
    synchronized String keep(PolledWatch watch) {
        refuseUnlessServing(watch::close);
        String id = "w" + UUID.randomUUID().toString().replace("-", "");
        polled.put(id, watch);
        return id;
    }

    synchronized PolledWatch polled(String watcherId) {
        return found(polled.get(watcherId), watcherId);
    }

    synchronized void remove(String watcherId) {
        found(polled.remove(watcherId), watcherId).close();
    }

    /** Ends every watch: streams end with unavailable, polled ids are forgotten. */
    void closeAll() {
        List<PolledWatch> polledWatches;
        List<DirWatch> watches;
        synchronized (this) {
            polledWatches = List.copyOf(polled.values());
            polled.clear();
            watches = List.copyOf(open);
        }
        polledWatches.forEach(PolledWatch::close);
        watches.forEach(DirWatch::close);
    }

    private void refuseUnlessServing(Runnable close) {
        if (!serving.getAsBoolean()) {
            close.run();
            throw new RpcError("unavailable", "the sandbox was stopped");
        }
    }

    private static PolledWatch found(PolledWatch watch, String watcherId) {
        if (watch == null) {
            throw new RpcError("not_found", "watcher with id " + watcherId + " not found");
        }
        return watch;
    }
}
