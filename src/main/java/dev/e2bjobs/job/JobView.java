package dev.e2bjobs.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A job as the API shows it. Result files come back byte-exact: UTF-8 text, or base64 otherwise. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(String jobId, JobStatus status, String template, int timeoutSeconds, Map<String, String> labels,
        Instant createdAt, Instant startedAt, Instant finishedAt, Long durationMs, Integer exitCode, Output stdout,
        Output stderr, List<Result> results, JobError error) {

    @RegisterForReflection
    public record Output(String text, boolean truncated) {
    }

    /**
     * A result file: inline {@code content}, or a download {@code url} (until {@code urlExpiresAt})
     * for a large one; {@code omitted} beyond the artifact size limit.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(String path, long size, String encoding, String content, String url, Instant urlExpiresAt,
            Boolean omitted) {
    }

    /** The view of a job; {@code links} turns a stored result's key into a download link. */
    public static JobView of(Job job, Function<String, ArtifactStore.Link> links) {
        Long duration = job.startedAt() != null && job.finishedAt() != null
                ? Duration.between(job.startedAt(), job.finishedAt()).toMillis() : null;
        List<Result> results = job.results().stream().map(file -> result(file, links)).toList();
        return new JobView(job.jobId(), job.status(), job.spec().template(), job.spec().timeoutSeconds(), job.spec().labels(),
                job.createdAt(), job.startedAt(), job.finishedAt(), duration, job.exitCode(), output(job.stdout()),
                output(job.stderr()), job.status().isTerminal() ? results : null, job.error());
    }

    private static Output output(OutputTail tail) {
        return tail == null ? null : new Output(tail.text(), tail.truncated());
    }

    private static Result result(ResultFile file, Function<String, ArtifactStore.Link> links) {
        if (file.omitted()) {
            return new Result(file.path(), file.size(), null, null, null, null, true);
        }
        if (file.artifactKey() != null) {
            ArtifactStore.Link link = links.apply(file.artifactKey());
            return new Result(file.path(), file.size(), null, null, link.url(), link.expiresAt(), null);
        }
        byte[] bytes = file.content();
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            return new Result(file.path(), file.size(), "utf-8", text, null, null, null);
        } catch (CharacterCodingException notText) {
            return new Result(file.path(), file.size(), "base64", Base64.getEncoder().encodeToString(bytes), null, null, null);
        }
    }
}
