package dev.e2bjobs.function;

import dev.e2bjobs.job.InvalidJobRequestException;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobIntake;
import dev.e2bjobs.job.ArtifactStore;
import io.quarkus.funqy.Funq;
import java.util.Map;

/** POST /jobs and POST /jobs/batch (up to 20 jobs): 202 with the QUEUED jobs at once; never waits on E2B. */
public class SubmitFunction {
    private final JobIntake intake;
    private final ArtifactStore artifacts;
    private final HttpEdge edge;

    SubmitFunction(JobIntake intake, ArtifactStore artifacts, HttpEdge edge) {
        this.intake = intake;
        this.artifacts = artifacts;
        this.edge = edge;
    }

    @Funq("submit")
    public HttpApiResponse submit(HttpApiEvent event) {
        return edge.handle(event, request -> switch (request.route()) {
            case "POST /jobs" -> accepted(intake.submit(request.owner(), body(request).toRequest(), request.header("Idempotency-Key")));
            case "POST /jobs/batch" -> new HttpEdge.Result(202, intake.submitBatch(request.owner(),
                    JobBody.toRequests(edge.body(request, JobBody[].class)), request.header("Idempotency-Key"))
                    .stream().map(job -> JobView.of(job, artifacts)).toList());
            default -> throw HttpEdge.routeNotServed(request);
        });
    }

    private JobBody body(HttpRequest request) {
        if (request.query("wait") != null) {
            throw new InvalidJobRequestException("WAIT_NOT_SUPPORTED",
                    "POST /jobs answers at once; wait for the job with GET /jobs/{jobId}?wait=N");
        }
        return edge.body(request, JobBody.class);
    }

    private HttpEdge.Result accepted(Job job) {
        return new HttpEdge.Result(202, JobView.of(job, artifacts), Map.of("location", "/jobs/" + job.jobId()));
    }
}
