package dev.e2bjobs.local.e2b;

import dev.e2bjobs.local.e2b.Isolation.SandboxUser;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Where a sandbox's processes run, and what the server does to all of them at once. */
interface SandboxMachine extends AutoCloseable {
    /**
     * The host command that runs {@code argv} in the sandbox as {@code user} from {@code cwd} (a sandbox
     * path, already checked to exist); the host starts it with the sandbox tree as its working directory.
     */
    List<String> command(SandboxUser user, String cwd, List<String> argv);

    /** The pid the sandbox's own processes (ps, kill) know a started command by. */
    int sandboxPid(Process started);

    /** Stops every process of the sandbox where it stands (a pause that keeps memory); false if it cannot. */
    boolean freeze();

    /** Continues what {@link #freeze} stopped. */
    void thaw();

    /** Kills every process of the sandbox but its init (a pause that keeps only the files). */
    void endProcesses();

    /** The sandbox's processes as the host sees them (for metrics). */
    List<ProcessHandle> processes();

    /** A byte stream to a TCP port inside the sandbox; empty when nothing listens there. */
    Optional<SandboxPort> openPort(int port) throws IOException;

    /** The sandbox's egress rules changed: the local package index appears in it or disappears. */
    void packageIndexReachable(boolean reachable);

    /** Ends every process of the sandbox. */
    @Override
    void close();
}
