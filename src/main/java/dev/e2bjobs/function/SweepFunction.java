package dev.e2bjobs.function;

import dev.e2bjobs.job.JobSweeper;
import dev.e2bjobs.job.SweepReport;
import io.quarkus.funqy.Funq;
import org.jboss.logging.Logger;

/** The scheduled sweep (EventBridge): finalize, retry stuck starts, release, launch queued jobs, reap orphan sandboxes. */
public class SweepFunction {
    private static final Logger LOG = Logger.getLogger(SweepFunction.class);
    private final JobSweeper sweeper;

    SweepFunction(JobSweeper sweeper) {
        this.sweeper = sweeper;
    }

    @Funq("sweep")
    public SweepReport sweep(ScheduledEvent event) {
        SweepReport report = sweeper.sweep();
        LOG.infof("sweep %s: %s", event == null ? "-" : event.id(), report);
        return report;
    }
}
