package dev.e2bjobs.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.job.ArtifactStore;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobDocuments;
import dev.e2bjobs.job.JobRequestException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** status.json and error.json in the jobs bucket: the API's own job view and problem JSON. */
@ApplicationScoped
public class JobDocumentsJson implements JobDocuments {
    private final ObjectMapper json;
    private final ArtifactStore artifacts;
    private final HttpEdge edge;

    JobDocumentsJson(ObjectMapper json, ArtifactStore artifacts, HttpEdge edge) {
        this.json = json;
        this.artifacts = artifacts;
        this.edge = edge;
    }

    @Override
    public byte[] status(Job job) {
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsBytes(JobView.of(job, artifacts).withoutContents());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] problem(JobRequestException refused) {
        return edge.problem(refused).getBytes(StandardCharsets.UTF_8);
    }
}
