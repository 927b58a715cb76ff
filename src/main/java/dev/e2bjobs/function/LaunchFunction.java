package dev.e2bjobs.function;

import dev.e2bjobs.job.JobLauncher;
import dev.e2bjobs.job.LaunchReport;
import io.quarkus.funqy.Funq;
import org.jboss.logging.Logger;

/** The launch hand-off (Lambda asynchronous invoke from submit, status, cancel): starts queued jobs into free sandbox slots. */
public class LaunchFunction {
    private static final Logger LOG = Logger.getLogger(LaunchFunction.class);
    private final JobLauncher launcher;

    LaunchFunction(JobLauncher launcher) {
        this.launcher = launcher;
    }

    @Funq("launch")
    public LaunchReport launch(LaunchEvent event) {
        LaunchReport report = launcher.launch(event == null ? java.util.List.of() : event.jobIdsOrNone());
        LOG.infof("launch (%s): %s", event == null ? "-" : event.reason(), report);
        return report;
    }
}
