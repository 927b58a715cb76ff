package dev.e2bjobs.function;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.e2bjobs.job.ArtifactStore;
import dev.e2bjobs.job.CallbackDelivery;
import dev.e2bjobs.job.Job;
import dev.e2bjobs.job.JobEnvironment;
import dev.e2bjobs.job.JobError;
import dev.e2bjobs.job.OutputTail;
import dev.e2bjobs.job.ResultFile;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** A job as the HTTP API shows it. Result files come back byte-exact: UTF-8 text, or base64 otherwise. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobView(String jobId, String status, String template, Environment environment, int timeoutSeconds, Map<String, String> labels,
        Instant createdAt, Instant startedAt, Instant finishedAt, Long durationMs, Integer exitCode, Output stdout,
        Output stderr, List<Result> results, Error error, Callback callback, String resultsPrefix) {

    @RegisterForReflection
    public record Output(String text, boolean truncated) {
    }

    /** The environment of the job's requirements (GET /environments lists it), and whether its sandbox started from it cached. */
    @RegisterForReflection
    public record Environment(String id, boolean cached) {

        static Environment of(JobEnvironment environment) {
            return environment == null ? null : new Environment(environment.id(), environment.cached());
        }
    }

    /** Why a job did not succeed: a stable code and a message. */
    @RegisterForReflection
    public record Error(String code, String message) {

        static Error of(JobError error) {
            return error == null ? null : new Error(error.code(), error.message());
        }
    }

    /** Where the job's completion callback goes and how its delivery went (no state before the job ends). */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Callback(String url, String state, Integer attempts, Integer lastStatus, String lastError,
            Instant lastAttemptAt) {

        static Callback of(String url, CallbackDelivery delivery) {
            if (url == null) {
                return null;
            }
            return delivery == null ? new Callback(url, null, null, null, null, null)
                    : new Callback(url, delivery.state().name(), delivery.attempts(), delivery.lastStatus(),
                            delivery.lastError(), delivery.lastAttemptAt());
        }
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

    /**
     * The view of a job; stored result files become download links from {@code artifacts}. A job whose
     * results go to the jobs bucket names its folder there ({@code resultsPrefix}).
     */
    public static JobView of(Job job, ArtifactStore artifacts) {
        Long duration = job.startedAt() != null && job.finishedAt() != null
                ? Duration.between(job.startedAt(), job.finishedAt()).toMillis() : null;
        List<Result> results = job.output().results().stream().map(file -> result(file, artifacts)).toList();
        return new JobView(job.jobId(), job.status().name(), job.spec().template(), Environment.of(job.environment()), job.spec().timeoutSeconds(), job.spec().labels(),
                job.createdAt(), job.startedAt(), job.finishedAt(), duration, job.output().exitCode(), output(job.output().stdout()),
                output(job.output().stderr()), job.status().isTerminal() ? results : null, Error.of(job.error()),
                Callback.of(job.spec().callbackUrl(), job.callback()),
                job.spec().resultsTo() == null ? null : job.spec().resultsTo().prefixFor(job.jobId()));
    }

    /** The same view with result files by path and size only: for the bucket, where the files lie beside it. */
    public JobView withoutContents() {
        List<Result> listed = results == null ? null
                : results.stream().map(r -> new Result(r.path(), r.size(), null, null, null, null, r.omitted())).toList();
        return new JobView(jobId, status, template, environment, timeoutSeconds, labels, createdAt, startedAt, finishedAt, durationMs, exitCode, stdout,
                stderr, listed, error, callback, resultsPrefix);
    }

    private static Output output(OutputTail tail) {
        return tail == null ? null : new Output(tail.text(), tail.truncated());
    }

    private static Result result(ResultFile file, ArtifactStore artifacts) {
        if (file.omitted()) {
            return new Result(file.path(), file.size(), null, null, null, null, true);
        }
        if (file.artifactKey() != null) {
            ArtifactStore.Link link = artifacts.link(file.artifactKey());
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
