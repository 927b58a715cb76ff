package dev.e2bjobs.local.e2b;

import dev.e2bjobs.local.e2b.Isolation.SandboxUser;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A plain sandbox (no bubblewrap): its processes are host processes, so they already share the host's
 * network and process table, and its ports are the host's loopback ports. Each command gets only a
 * private mount namespace, from {@code mounts}, that lays the sandbox's files over the host's.
 */
final class HostMachine implements SandboxMachine {
    private final List<String> limits;
    private final Function<Boolean, List<String>> mounts;
    private final StartedCommands started = new StartedCommands();
    private volatile boolean packageIndexReachable;

    /** @param mounts the mount wrapper for commands, given whether the package index is reachable */
    HostMachine(List<String> limits, Function<Boolean, List<String>> mounts, boolean packageIndexReachable) {
        this.limits = limits;
        this.mounts = mounts;
        this.packageIndexReachable = packageIndexReachable;
    }

    /** The mount wrapper takes the working directory as its last argument. */
    @Override
    public List<String> command(SandboxUser user, String cwd, List<String> argv) {
        List<String> command = new ArrayList<>(limits);
        command.addAll(mounts.apply(packageIndexReachable));
        command.add(cwd);
        command.addAll(argv);
        return command;
    }

    @Override
    public int sandboxPid(Process process) {
        started.add(process);
        return (int) process.pid();
    }

    /** Host processes cannot be told apart from the host's own well enough to stop them all. */
    @Override
    public boolean freeze() {
        return false;
    }

    @Override
    public void thaw() {
    }

    @Override
    public void endProcesses() {
        started.alive().forEach(process -> ProcessSignals.killTree(process.toHandle()));
    }

    @Override
    public List<ProcessHandle> processes() {
        return started.alive().stream().flatMap(p -> Stream.concat(Stream.of(p.toHandle()), p.descendants())).toList();
    }

    @Override
    public Optional<SandboxPort> openPort(int port) throws IOException {
        Socket socket;
        try {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
        } catch (ConnectException e) {
            return Optional.empty();
        }
        return Optional.of(new SandboxPort(socket.getInputStream(), socket.getOutputStream(), socket::close));
    }

    @Override
    public void packageIndexReachable(boolean reachable) {
        packageIndexReachable = reachable;
    }

    @Override
    public void close() {
        endProcesses();
    }
}
