package dev.e2bjobs.function;

import dev.e2bjobs.job.ArtifactStore;
import dev.e2bjobs.job.JobCancellation;
import io.quarkus.funqy.Funq;

/** DELETE /jobs/{jobId}: kills the job's sandbox and marks it CANCELLED (a finished job stays as it is). */
public class CancelFunction {
    private final JobCancellation cancellation;
    private final ArtifactStore artifacts;
    private final HttpEdge edge;

    CancelFunction(JobCancellation cancellation, ArtifactStore artifacts, HttpEdge edge) {
        this.cancellation = cancellation;
        this.artifacts = artifacts;
        this.edge = edge;
    }

    @Funq("cancel")
    public HttpApiResponse cancel(HttpApiEvent event) {
        return edge.handle(event, request -> switch (request.route()) {
            case "DELETE /jobs/{jobId}" -> new HttpEdge.Result(200,
                    JobView.of(cancellation.cancel(request.owner(), request.path("jobId")), artifacts));
            default -> throw HttpEdge.routeNotServed(request);
        });
    }
}
