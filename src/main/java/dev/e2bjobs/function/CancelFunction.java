package dev.e2bjobs.function;

import dev.e2bjobs.job.JobService;
import io.quarkus.funqy.Funq;

/** DELETE /jobs/{jobId}: kills the job's sandbox and marks it CANCELLED (a finished job stays as it is). */
public class CancelFunction {
    private final JobService jobs;
    private final HttpEdge edge;

    CancelFunction(JobService jobs, HttpEdge edge) {
        this.jobs = jobs;
        this.edge = edge;
    }

    @Funq("cancel")
    public HttpApiResponse cancel(HttpApiEvent event) {
        return edge.handle(event, request -> switch (request.route()) {
            case "DELETE /jobs/{jobId}" -> new HttpEdge.Result(200, jobs.cancel(request.owner(), request.path("jobId")));
            default -> throw HttpEdge.routeNotFound(request);
        });
    }
}
