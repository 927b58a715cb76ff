package dev.e2bjobs.local.e2b;

import dev.e2bjobs.local.e2b.Isolation.SandboxUser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * A sandbox's own machine under bubblewrap. Its namespaces (user, mount, pid, network with its own
 * loopback, IPC, UTS) are made once, when the sandbox is, by a bubblewrap that holds them with the
 * sandbox's init; every command then joins them with nsenter. So a server one command starts is
 * reachable from the next and through port forwarding, ps sees every process of the sandbox, and kill
 * works across commands, as on E2B's one VM per sandbox. The sandbox's root is uid 0 of its user
 * namespace, which is host uid 65534 (the server drops to it before bubblewrap when it runs as root);
 * "user" commands run in a nested user namespace as uid 1000 over the same host uid, so both see the
 * files as theirs, as before. Every command drops all capabilities; the init holds none.
 */
final class NamespaceMachine implements SandboxMachine {
    private static final long BOOT_SECONDS = 10;
    /** How long a started command may take to fork into the sandbox's pid namespace. */
    private static final long FORK_WAIT_MILLIS = 2000;

    /** Boots wait here for their "ready", so that creating a sandbox does not wait for them. */
    private static final ExecutorService BOOTS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "local-e2b-boot");
        thread.setDaemon(true);
        return thread;
    });

    /** A holder whose namespaces are set up. */
    private record Booted(Process holder, ProcessHandle namespaceInit, long initPid, Path pidNamespace) {
    }

    /** Completes once the holder's namespaces are set up: commands, ports and signals wait for it. */
    private final CompletableFuture<Booted> booted;
    private final List<String> limits;
    private final Path portRelay;
    /**
     * The nsenters of running commands, outside the namespace: each stops itself when its command is
     * stopped (job control), so thawing continues them too, and it reaps its command, so killing
     * the sandbox kills it too (else the command's zombie would keep the pid namespace alive).
     */
    private final StartedCommands nsenters = new StartedCommands();
    private final String packageIndex;
    private boolean packageIndexShown;

    private NamespaceMachine(CompletableFuture<Booted> booted, List<String> limits, Path portRelay, String packageIndex,
            boolean packageIndexShown) {
        this.booted = booted;
        this.limits = limits;
        this.portRelay = portRelay;
        this.packageIndex = packageIndex;
        this.packageIndexShown = packageIndexShown;
    }

    /**
     * Starts the holder ({@code holderCommand}: bubblewrap whose command prints "ready" once the
     * namespaces are set up) in the background: the sandbox's first command waits for it, not its create.
     */
    static NamespaceMachine boot(List<String> holderCommand, Path root, List<String> limits, Path portRelay,
            String packageIndex, boolean packageIndexShown) {
        ProcessBuilder holder = new ProcessBuilder(holderCommand).directory(root.toFile()).redirectErrorStream(true);
        return new NamespaceMachine(CompletableFuture.supplyAsync(() -> boot(holder), BOOTS), limits, portRelay, packageIndex,
                packageIndexShown);
    }

    private static Booted boot(ProcessBuilder builder) {
        Process holder = null;
        try {
            holder = builder.start();
            awaitReady(holder);
            long namespaceInit = onlyChild(holder.pid());
            long init = onlyChild(namespaceInit);
            return new Booted(holder, ProcessHandle.of(namespaceInit).orElseThrow(() -> new IOException("the sandbox's init is gone")),
                    init, Files.readSymbolicLink(Path.of("/proc", String.valueOf(init), "ns", "pid")));
        } catch (IOException | RuntimeException e) {
            if (holder != null) {
                holder.destroyForcibly();
            }
            throw new IllegalStateException("the sandbox's namespaces could not be set up: " + e.getMessage(), e);
        }
    }

    private Booted booted() {
        try {
            return booted.get(BOOT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (IllegalStateException) e.getCause();
        } catch (TimeoutException e) {
            throw new IllegalStateException("the sandbox's namespaces were not ready within " + BOOT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the sandbox's namespaces were set up", e);
        }
    }

    private static void awaitReady(Process holder) throws IOException {
        String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"ready".equals(line)) {
            throw new IOException(line == null ? "bubblewrap exited" : line);
        }
    }

    /** The one child of a process (bubblewrap forks its pid-1 monitor, which forks the init). */
    private static long onlyChild(long pid) throws IOException {
        String children = Files.readString(Path.of("/proc", String.valueOf(pid), "task", String.valueOf(pid), "children")).trim();
        if (children.isEmpty() || children.contains(" ")) {
            throw new IOException("expected one child of " + pid + ", found [" + children + "]");
        }
        return Long.parseLong(children);
    }

    @Override
    public List<String> command(SandboxUser user, String cwd, List<String> argv) {
        List<String> command = new ArrayList<>(limits);
        command.addAll(List.of("nsenter", "--target", String.valueOf(booted().initPid()), "--all", "--root", "--wdns=" + cwd, "--"));
        if (user.uid() != 0) {
            // before setpriv: mapping its own uid into a new user namespace needs the capabilities setpriv drops
            command.addAll(List.of("unshare", "--user", "--map-user=" + user.uid(), "--map-group=" + user.uid(), "--"));
        }
        command.addAll(List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--"));
        command.addAll(argv);
        return command;
    }

    /** nsenter forks the command into the pid namespace; its pid there is the last of its NSpid line. */
    @Override
    public int sandboxPid(Process started) {
        nsenters.add(started);
        long deadline = System.currentTimeMillis() + FORK_WAIT_MILLIS;
        Path children = Path.of("/proc", String.valueOf(started.pid()), "task", String.valueOf(started.pid()), "children");
        while (System.currentTimeMillis() < deadline && started.isAlive()) {
            try {
                String child = Files.readString(children).trim();
                if (!child.isEmpty()) {
                    return namespacePid(child.split(" ")[0]);
                }
            } catch (IOException | NumberFormatException e) {
                // not forked yet, or gone between the two reads
            }
            LockSupport.parkNanos(200_000); // nsenter forks within a millisecond or two
        }
        return (int) started.pid();
    }

    private static int namespacePid(String hostPid) throws IOException {
        String line = Files.readAllLines(Path.of("/proc", hostPid, "status")).stream()
                .filter(l -> l.startsWith("NSpid:")).findFirst().orElseThrow(() -> new IOException("no NSpid"));
        String[] pids = line.substring("NSpid:".length()).trim().split("\\s+");
        return Integer.parseInt(pids[pids.length - 1]);
    }

    @Override
    public boolean freeze() {
        ProcessSignals.send("STOP", pids());
        return true;
    }

    @Override
    public void thaw() {
        ProcessSignals.send("CONT", pids());
        ProcessSignals.send("CONT", nsenters.alive().stream().map(Process::pid).toList());
    }

    @Override
    public void endProcesses() {
        Booted machine = booted();
        ProcessSignals.send("KILL", pids().stream().filter(pid -> pid != machine.initPid() && pid != machine.namespaceInit().pid()).toList());
    }

    @Override
    public List<ProcessHandle> processes() {
        Path pidNamespace = booted().pidNamespace();
        return ProcessHandle.allProcesses().filter(process -> inSandbox(process, pidNamespace)).toList();
    }

    private List<Long> pids() {
        return processes().stream().map(ProcessHandle::pid).toList();
    }

    private boolean inSandbox(ProcessHandle process, Path pidNamespace) {
        try {
            return pidNamespace.equals(Files.readSymbolicLink(Path.of("/proc", String.valueOf(process.pid()), "ns", "pid")));
        } catch (IOException e) {
            return false;
        }
    }

    /** A relay joined to the sandbox's user and network namespaces connects to the port's loopback. */
    @Override
    public Optional<SandboxPort> openPort(int port) throws IOException {
        Process relay = new ProcessBuilder("nsenter", "--target", String.valueOf(booted().initPid()), "--user", "--net", "--",
                "python3", "-I", "-S", portRelay.toString(), String.valueOf(port))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (relay.getInputStream().read() != '1') {
            relay.destroyForcibly();
            return Optional.empty();
        }
        return Optional.of(new SandboxPort(relay.getInputStream(), relay.getOutputStream(), relay::destroyForcibly));
    }

    /** Hidden under an empty read-only tmpfs, which a sandbox without capabilities cannot unmount. */
    @Override
    public synchronized void packageIndexReachable(boolean reachable) {
        if (reachable == packageIndexShown) {
            return;
        }
        List<String> change = reachable ? List.of("umount", packageIndex)
                : List.of("mount", "-t", "tmpfs", "-o", "ro,mode=755", "local-e2b", packageIndex);
        runInMountNamespace(change);
        packageIndexShown = reachable;
    }

    private void runInMountNamespace(List<String> command) {
        List<String> entered = new ArrayList<>(List.of("nsenter", "--target", String.valueOf(booted().initPid()), "--mount", "--"));
        entered.addAll(command);
        try {
            Process process = new ProcessBuilder(entered).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed in the sandbox: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Killing the namespace's pid 1 makes the kernel kill every process in it; the holder exits once
     * that pid 1 is gone, which is after all of them.
     */
    @Override
    public void close() {
        nsenters.alive().forEach(Process::destroyForcibly);
        Booted machine;
        try {
            machine = booted();
        } catch (IllegalStateException notBooted) {
            return; // nothing runs in namespaces that were never set up, and their holder is gone
        }
        machine.namespaceInit().destroyForcibly();
        try {
            if (!machine.holder().waitFor(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the processes of a killed sandbox did not end within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
