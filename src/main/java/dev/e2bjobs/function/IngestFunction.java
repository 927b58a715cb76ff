package dev.e2bjobs.function;

import dev.e2bjobs.bundle.BundleIngest;
import io.quarkus.funqy.Funq;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * S3 notifications of uploads under the ingest prefix (S3 invokes it asynchronously, at least once, in
 * any order): each bundle becomes one job. A record that must be tried again fails the invocation, so
 * Lambda retries the event; the records taken already are recognised then and not taken twice.
 */
public class IngestFunction {
    private static final Logger LOG = Logger.getLogger(IngestFunction.class);
    private final BundleIngest ingest;
    private final HttpEdge edge;

    IngestFunction(BundleIngest ingest, HttpEdge edge) {
        this.ingest = ingest;
        this.edge = edge;
    }

    /** What became of one record: QUEUED (detail: the job id), REJECTED (the code in error.json) or IGNORED (why). */
    @RegisterForReflection
    public record Outcome(String key, String kind, String detail) {
    }

    @Funq("ingest")
    public List<Outcome> ingest(S3Event event) {
        List<Outcome> outcomes = new ArrayList<>();
        RuntimeException retry = null;
        for (S3Event.Notice notice : event.records() == null ? List.<S3Event.Notice>of() : event.records()) {
            try {
                outcomes.add(take(notice));
            } catch (RuntimeException e) {
                LOG.warnf("%s: to be tried again (%s)", notice.upload().key(), e.toString());
                retry = e;
            }
        }
        if (retry != null) {
            throw retry;
        }
        return outcomes;
    }

    private Outcome take(S3Event.Notice notice) {
        BundleIngest.Outcome outcome = notice.created() ? ingest.ingest(notice.upload(), job -> edge.parse(job, JobBody.class).toRequest())
                : new BundleIngest.Outcome(BundleIngest.Outcome.Kind.IGNORED, "not a creation: " + notice.eventName());
        LOG.infof("%s: %s %s", notice.upload().key(), outcome.kind(), outcome.detail());
        return new Outcome(notice.upload().key(), outcome.kind().name(), outcome.detail());
    }
}
