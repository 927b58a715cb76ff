package dev.e2bjobs.job;

import java.util.List;
import java.util.Map;

/**
 * A validated job: what runs, where and for how long. Built only by {@link JobValidator}.
 *
 * @param command       argv of the command; never passed through a shell by us
 * @param dependencies  pip requirement strings, installed before the command
 * @param resultPaths   relative files or directories (ending in /) returned as results
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record JobSpec(List<JobFile> files, List<String> command, List<String> dependencies, Map<String, String> env,
        String template, int timeoutSeconds, List<String> resultPaths, Map<String, String> labels) {

    public JobSpec {
        files = List.copyOf(files);
        command = List.copyOf(command);
        dependencies = List.copyOf(dependencies);
        env = Map.copyOf(env);
        resultPaths = List.copyOf(resultPaths);
        labels = Map.copyOf(labels);
    }
}
