package dev.e2bjobs.function;

import dev.e2bjobs.job.ArtifactStore;
import dev.e2bjobs.job.JobQueries;
import io.quarkus.funqy.Funq;

/** GET /jobs/{jobId} (?wait=N long-polls until the job has ended; a finished job is finalized on the way) and GET /jobs. */
public class StatusFunction {
    private final JobQueries queries;
    private final ArtifactStore artifacts;
    private final HttpEdge edge;

    StatusFunction(JobQueries queries, ArtifactStore artifacts, HttpEdge edge) {
        this.queries = queries;
        this.artifacts = artifacts;
        this.edge = edge;
    }

    @Funq("status")
    public HttpApiResponse status(HttpApiEvent event) {
        return edge.handle(event, request -> switch (request.route()) {
            case "GET /jobs/{jobId}" -> new HttpEdge.Result(200, JobView.of(
                    queries.status(request.owner(), request.path("jobId"), edge.waitParameter(request)), artifacts));
            case "GET /jobs" -> new HttpEdge.Result(200, JobListView.of(queries.list(request.owner(),
                    ListParameters.status(request.query("status")), request.query("label"), request.query("cursor"),
                    ListParameters.limit(request.query("limit")))));
            default -> throw HttpEdge.routeNotServed(request);
        });
    }
}
