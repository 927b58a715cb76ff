package dev.e2bjobs.sandbox;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A process to start: the program and its arguments are passed as a list, never through a shell.
 *
 * @param cmd   program to run
 * @param args  its arguments
 * @param env   environment added to the sandbox's own
 * @param cwd   working directory, or null for the user's home
 * @param tag   a name that identifies the process while it runs, or null
 */
public record SandboxCommand(String cmd, List<String> args, Map<String, String> env, String cwd, String tag) {

    public SandboxCommand {
        Objects.requireNonNull(cmd, "cmd");
        args = List.copyOf(args);
        env = Map.copyOf(env);
    }
}
