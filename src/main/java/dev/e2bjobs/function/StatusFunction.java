package dev.e2bjobs.function;

import dev.e2bjobs.job.JobService;
import io.quarkus.funqy.Funq;

/** GET /jobs/{jobId} (finalizing a finished job on the way) and GET /jobs?status=&label=&cursor=&limit=. */
public class StatusFunction {
    private final JobService jobs;
    private final HttpEdge edge;

    StatusFunction(JobService jobs, HttpEdge edge) {
        this.jobs = jobs;
        this.edge = edge;
    }

    @Funq("status")
    public HttpApiResponse status(HttpApiEvent event) {
        return edge.handle(event, request -> switch (request.route()) {
            case "GET /jobs/{jobId}" -> new HttpEdge.Result(200, jobs.status(request.owner(), request.path("jobId")));
            case "GET /jobs" -> new HttpEdge.Result(200, jobs.list(request.owner(), ListParameters.status(request.query("status")),
                    request.query("label"), request.query("cursor"), ListParameters.limit(request.query("limit"))));
            default -> throw HttpEdge.routeNotFound(request);
        });
    }
}
