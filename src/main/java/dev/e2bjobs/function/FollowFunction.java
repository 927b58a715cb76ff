package dev.e2bjobs.function;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobFollower;
import io.quarkus.funqy.Funq;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The follow hand-off: waits for a running job that somebody is to be told about (results to the
 * bucket, a callback), so that it is finalized when its runner exits, not at the next sweep.
 */
public class FollowFunction {
    private static final Logger LOG = Logger.getLogger(FollowFunction.class);
    private final JobFollower follower;
    private final Duration budget;

    FollowFunction(JobFollower follower, AppConfig config) {
        this.follower = follower;
        this.budget = config.follow().budget();
    }

    @Funq("follow")
    public String follow(FollowEvent event) {
        Job job = follower.follow(event.jobId(), budget);
        LOG.infof("followed job %s: %s", job.jobId(), job.status());
        return job.status().name();
    }
}
