package dev.e2bjobs.function;

import dev.e2bjobs.job.JobService;
import dev.e2bjobs.job.SweepReport;
import io.quarkus.funqy.Funq;
import org.jboss.logging.Logger;

/** The scheduled sweep (EventBridge): finalize, time out, start queued jobs, reap orphan sandboxes. */
public class SweepFunction {
    private static final Logger LOG = Logger.getLogger(SweepFunction.class);
    private final JobService jobs;

    SweepFunction(JobService jobs) {
        this.jobs = jobs;
    }

    @Funq("sweep")
    public SweepReport sweep(ScheduledEvent event) {
        SweepReport report = jobs.sweep();
        LOG.infof("sweep %s: %s", event == null ? "-" : event.id(), report);
        return report;
    }
}
