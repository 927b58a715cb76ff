package dev.e2bjobs.job;

import java.time.Duration;

/**
 * What operators are told about jobs: one call per lifecycle event, made where that transition is
 * written (and only by whoever wrote it), plus the gauges the launcher and the sweep see. An adapter
 * turns them into log lines and metrics; the domain never logs them itself. Implementations must not
 * throw, and are given ids, statuses and error codes to report, never a job's files, command,
 * environment or output.
 */
public interface JobEvents {

    /** Until it is closed, whatever is logged on this thread carries {@code job}'s ids (job, owner, sandbox). */
    Scope about(Job job);

    /** The job was stored QUEUED (a submit, a batch, an upload). */
    void queued(Job job);

    /** The job is RUNNING in its sandbox: it waited {@code startedAt - createdAt} for it. */
    void started(Job running);

    /** This invocation wrote the job's end (racing enders: only the first). */
    void ended(Job ended);

    /** The job's callback is settled: DELIVERED, or FAILED after its attempts. */
    void callback(Job job, CallbackDelivery settled);

    /** The sweep killed a sandbox of this deployment that no live job held. */
    void orphanReaped(String sandboxId, String jobId, String why);

    /** At each launch: sandbox slots held (after admitting) of the deployment's cap. */
    void slots(int held, int cap);

    /** At each sweep: how long the oldest queued job has waited (zero when none waits). */
    void oldestQueued(Duration age);

    /** Closes without throwing. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Tells nobody: for wiring that does not care. */
    JobEvents NONE = new JobEvents() {
        @Override
        public Scope about(Job job) {
            return () -> { };
        }

        @Override
        public void queued(Job job) {
        }

        @Override
        public void started(Job running) {
        }

        @Override
        public void ended(Job ended) {
        }

        @Override
        public void callback(Job job, CallbackDelivery settled) {
        }

        @Override
        public void orphanReaped(String sandboxId, String jobId, String why) {
        }

        @Override
        public void slots(int held, int cap) {
        }

        @Override
        public void oldestQueued(Duration age) {
        }
    };
}
