package dev.e2bjobs.function;

import dev.e2bjobs.job.JobRequest;
import dev.e2bjobs.job.JobService;
import io.quarkus.funqy.Funq;
import java.util.Arrays;

/** POST /jobs (202 + the job; ?wait=N for up to 25 s) and POST /jobs/batch (up to 20 jobs). */
public class SubmitFunction {
    private final JobService jobs;
    private final HttpEdge edge;

    SubmitFunction(JobService jobs, HttpEdge edge) {
        this.jobs = jobs;
        this.edge = edge;
    }

    @Funq("submit")
    public HttpApiResponse submit(HttpApiEvent event) {
        return edge.handle(event, request -> switch (request.route()) {
            case "POST /jobs" -> new HttpEdge.Result(202, jobs.submit(request.owner(), edge.body(request, JobRequest.class),
                    request.header("Idempotency-Key"), edge.waitParameter(request)));
            case "POST /jobs/batch" -> new HttpEdge.Result(202,
                    jobs.submitBatch(request.owner(), Arrays.asList(edge.body(request, JobRequest[].class))));
            default -> throw HttpEdge.routeNotFound(request);
        });
    }
}
