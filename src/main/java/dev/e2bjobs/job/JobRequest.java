package dev.e2bjobs.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * A job as a user submits it (POST /jobs, or a bundle's job.json); {@link JobValidator} turns it into
 * a {@link JobSpec} or rejects it.
 *
 * @param files         path → content; a string is UTF-8 text, an object gives an encoding
 * @param command       a shell command line (run with bash -c) or an argv array; default: the
 *                      Genesis-style {@code python evaluate.py --program_path main.py --results_dir results}
 */
@RegisterForReflection
public record JobRequest(Map<String, FileContent> files, Object command, List<String> dependencies,
        Map<String, String> env, String template, Integer timeoutSeconds, List<String> resultPaths,
        Map<String, String> labels) {

    /** A file's content and how it is encoded: "utf-8" (default) or "base64". */
    @RegisterForReflection
    public record FileContent(String content, String encoding) {

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static FileContent text(String content) {
            return new FileContent(content, "utf-8");
        }

        @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
        public static FileContent of(@JsonProperty("content") String content, @JsonProperty("encoding") String encoding) {
            return new FileContent(content, encoding);
        }
    }
}
