package dev.e2bjobs.job;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what the job rooms tell operators, as "event jobId detail" lines. */
final class RecordingJobEvents implements JobEvents {
    final List<String> told = new CopyOnWriteArrayList<>();
    /** The jobs whose scopes are open on this thread, innermost last. */
    final ThreadLocal<List<String>> open = ThreadLocal.withInitial(java.util.ArrayList::new);

    @Override
    public Scope about(Job job) {
        open.get().add(job.jobId());
        return () -> open.get().remove(open.get().size() - 1);
    }

    @Override
    public void queued(Job job) {
        told.add("queued " + job.jobId());
    }

    @Override
    public void started(Job running) {
        told.add("started " + running.jobId() + " " + running.sandbox().sandboxId() + " in scope " + open.get());
    }

    @Override
    public void ended(Job ended) {
        told.add("ended " + ended.jobId() + " " + ended.status() + (ended.error() == null ? "" : " " + ended.error().code()));
    }

    @Override
    public void callback(Job job, CallbackDelivery settled) {
        told.add("callback " + job.jobId() + " " + settled.state());
    }

    @Override
    public void orphanReaped(String sandboxId, String jobId, String why) {
        told.add("reaped " + sandboxId + " " + jobId);
    }

    @Override
    public void slots(int held, int cap) {
        told.add("slots " + held + "/" + cap);
    }

    @Override
    public void oldestQueued(Duration age) {
        told.add("oldest-queued " + age.toSeconds() + "s");
    }

    /** The lines about one kind of event. */
    List<String> of(String event) {
        return told.stream().filter(line -> line.startsWith(event + " ")).toList();
    }
}
