package dev.e2bjobs.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.job.ArtifactStore;
import dev.e2bjobs.job.CallbackDelivery;
import dev.e2bjobs.job.JobNotifier;
import io.quarkus.funqy.Funq;
import java.io.UncheckedIOException;
import org.jboss.logging.Logger;

/** The callback hand-off (Lambda asynchronous invoke from whoever ended the job): POSTs the job's view, signed, to its callback URL. */
public class NotifyFunction {
    private static final Logger LOG = Logger.getLogger(NotifyFunction.class);
    private final JobNotifier notifier;
    private final ArtifactStore artifacts;
    private final ObjectMapper json;

    NotifyFunction(JobNotifier notifier, ArtifactStore artifacts, ObjectMapper json) {
        this.notifier = notifier;
        this.artifacts = artifacts;
        this.json = json;
    }

    @Funq("notify")
    public CallbackDelivery notify(NotifyEvent event) {
        CallbackDelivery delivery = notifier.deliver(event.jobId(), (job, at) -> {
            try {
                return json.writeValueAsBytes(new CallbackBody(CallbackBody.JOB_ENDED, at.getEpochSecond(), JobView.of(job, artifacts)));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        });
        LOG.infof("callback of job %s: %s", event.jobId(), delivery);
        return delivery;
    }
}
