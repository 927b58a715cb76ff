package dev.e2bjobs.function;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.e2bjobs.job.InvalidJobRequestException;
import dev.e2bjobs.job.JobRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job as the HTTP API takes it (the body of POST /jobs, an element of POST /jobs/batch).
 *
 * @param files    path → content: a string is UTF-8 text, an object gives {@code content} and {@code encoding}
 * @param command  a shell command line (run with bash -c) or an argv array
 * @param network  {@code {"internet": true}} lets the job's code reach the internet (default: no network;
 *                 a job with dependencies reaches only the package index)
 * @param callbackUrl  https URL that gets the job's view, signed, when it ends
 * @param resultsTo    "s3": the results are also written to the jobs bucket, under results/&lt;jobId&gt;/
 */
@RegisterForReflection
public record JobBody(Map<String, FileBody> files, JsonNode command, List<String> dependencies, Map<String, String> env,
        String template, Integer timeoutSeconds, List<String> resultPaths, Map<String, String> labels, Network network,
        String callbackUrl, String resultsTo) {

    /** A job's network: whether its code may reach the internet. */
    @RegisterForReflection
    public record Network(Boolean internet) {
    }

    /** A file's content and how it is encoded: "utf-8" (default) or "base64". */
    @RegisterForReflection
    public record FileBody(String content, String encoding) {

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static FileBody text(String content) {
            return new FileBody(content, "utf-8");
        }

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public static FileBody of(@JsonProperty("content") String content, @JsonProperty("encoding") String encoding) {
            return new FileBody(content, encoding);
        }
    }

    /** A batch's requests; a rejection names the job it is about ("jobs[3]: ..."). */
    public static List<JobRequest> toRequests(JobBody[] bodies) {
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            try {
                requests.add(bodies[i] == null ? null : bodies[i].toRequest());
            } catch (InvalidJobRequestException e) {
                throw new InvalidJobRequestException(e.code(), "jobs[" + i + "]: " + e.getMessage());
            }
        }
        return requests;
    }

    /** The domain's request; a command that is neither a string nor an array of strings is COMMAND_INVALID. */
    public JobRequest toRequest() {
        Map<String, JobRequest.FileContent> contents = null;
        if (files != null) {
            contents = new LinkedHashMap<>();
            for (Map.Entry<String, FileBody> file : files.entrySet()) {
                FileBody body = file.getValue();
                contents.put(file.getKey(), body == null ? null : new JobRequest.FileContent(body.content(), body.encoding()));
            }
        }
        String shell = command != null && command.isTextual() ? command.asText() : null;
        if (command != null && !command.isNull() && !command.isTextual() && !isArgv(command)) {
            throw new InvalidJobRequestException("COMMAND_INVALID", "command must be a string or an array of strings");
        }
        return new JobRequest(contents, shell, argv(), dependencies, env, template, timeoutSeconds, resultPaths, labels,
                network == null ? null : network.internet(), callbackUrl, resultsTo);
    }

    private List<String> argv() {
        if (command == null || !command.isArray()) {
            return null;
        }
        List<String> argv = new ArrayList<>();
        command.forEach(arg -> argv.add(arg.asText()));
        return argv;
    }

    private static boolean isArgv(JsonNode node) {
        if (!node.isArray()) {
            return false;
        }
        for (JsonNode arg : node) {
            if (!arg.isTextual()) {
                return false;
            }
        }
        return true;
    }
}
