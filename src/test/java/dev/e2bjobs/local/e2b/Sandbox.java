package dev.e2bjobs.local.e2b;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One sandbox: its identity and lifetime as the control plane reports them, its tree, processes and watches. */
final class Sandbox {
    enum State { RUNNING, PAUSED }

    /** envd keeps an exited process's end event this long so Connect can replay it. */
    static final long EXITED_RETENTION_SECONDS = 30;

    final String id;
    final String templateId;
    final Map<String, String> metadata;
    final Map<String, String> envVars;
    final String accessToken;
    /** Replaced as a whole by PUT /sandboxes/{id}/network; processes started after that get the new rules. */
    volatile EgressRules egress;
    final boolean pauseOnTimeout;
    final SandboxFiles files;
    final SandboxMachine machine;
    final SandboxWatches watches = new SandboxWatches(this::isServing);
    private final Map<Integer, SandboxProcess> processes = new ConcurrentHashMap<>();
    private State state = State.RUNNING;
    private boolean terminated;
    private Instant startedAt;
    private Instant endAt;
    private SandboxMetrics.CpuSample cpuSample;

    Sandbox(String id, String templateId, Map<String, String> metadata, Map<String, String> envVars, String accessToken,
            EgressRules egress, boolean pauseOnTimeout, SandboxFiles files, SandboxMachine machine, Instant startedAt, Instant endAt) {
        this.id = id;
        this.templateId = templateId;
        this.metadata = Map.copyOf(metadata);
        this.envVars = Map.copyOf(envVars);
        this.accessToken = accessToken;
        this.egress = egress;
        this.pauseOnTimeout = pauseOnTimeout;
        this.files = files;
        this.machine = machine;
        this.startedAt = startedAt;
        this.endAt = endAt;
        this.cpuSample = new SandboxMetrics.CpuSample(startedAt, 0);
    }

    /** Records the latest CPU measurement and returns the one before it. */
    synchronized SandboxMetrics.CpuSample swapCpuSample(SandboxMetrics.CpuSample latest) {
        SandboxMetrics.CpuSample previous = cpuSample;
        cpuSample = latest;
        return previous;
    }

    synchronized State state() {
        return state;
    }

    synchronized Instant startedAt() {
        return startedAt;
    }

    synchronized Instant endAt() {
        return endAt;
    }

    synchronized void setEndAt(Instant newEnd) {
        endAt = newEnd;
    }

    synchronized boolean isRunning() {
        return state == State.RUNNING;
    }

    /**
     * Pausing ends watches and keeps the files, and with {@code keepMemory} the processes too, stopped
     * where they stand (E2B's memory snapshot); without it, or on a machine that cannot stop them all,
     * they are killed.
     */
    void pause(boolean keepMemory) {
        synchronized (this) {
            state = State.PAUSED;
        }
        processes.values().forEach(SandboxProcess::dropSubscribers);
        watches.closeAll();
        if (!keepMemory || !machine.freeze()) {
            killProcesses();
            machine.endProcesses();
        }
    }

    /** Resuming continues stopped processes and starts a new runtime window. */
    synchronized void resume(Instant now, Instant newEnd) {
        machine.thaw();
        state = State.RUNNING;
        startedAt = now;
        endAt = newEnd;
    }

    /** Whether it takes new processes and watches: running, and not killed. */
    synchronized boolean isServing() {
        return !terminated && state == State.RUNNING;
    }

    /** Registers a started process; false if the sandbox stopped meanwhile (the caller kills it). */
    synchronized boolean add(SandboxProcess process) {
        if (!isServing()) {
            return false;
        }
        processes.put(process.pid, process);
        return true;
    }

    /** Killing is final: processes and watches are stopped and no new one is accepted. */
    void terminate() {
        synchronized (this) {
            terminated = true;
        }
        processes.values().forEach(SandboxProcess::dropSubscribers);
        machine.close();
        killProcesses();
        watches.closeAll();
    }

    /** Live processes, and exited ones still within envd's retention window. */
    Optional<SandboxProcess> find(Integer pid, String tag) {
        forgetExpired();
        return processes.values().stream()
                .filter(p -> pid != null ? p.pid == pid : tag != null && tag.equals(p.tag))
                .filter(p -> pid != null || p.running())
                .findFirst();
    }

    Optional<SandboxProcess> findRunning(Integer pid, String tag) {
        return find(pid, tag).filter(SandboxProcess::running);
    }

    List<SandboxProcess> running() {
        forgetExpired();
        return processes.values().stream().filter(SandboxProcess::running).toList();
    }

    private void killProcesses() {
        Collection<SandboxProcess> all = List.copyOf(processes.values());
        all.forEach(SandboxProcess::kill);
        processes.clear();
    }

    private void forgetExpired() {
        Instant cutoff = Instant.now().minusSeconds(EXITED_RETENTION_SECONDS);
        processes.values().removeIf(p -> {
            Instant ended = p.endedAt();
            return ended != null && ended.isBefore(cutoff);
        });
    }
}
