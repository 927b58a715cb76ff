package dev.e2bjobs.local.e2b;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * How sandbox processes are confined, and the machine each sandbox gets. With bubblewrap a sandbox's
 * processes share one set of mount, pid, network, IPC and UTS namespaces (see NamespaceMachine): the
 * sandbox tree is their root, system directories are read-only, there is no route off the sandbox
 * (not even to the host's loopback), and no capabilities. A server running as root first drops to an
 * unprivileged host uid, so even the sandbox's "root" is nobody on the host. Without bubblewrap
 * ("plain") processes run on the host, with only a private mount namespace that lays the sandbox's
 * home, /root and /tmp over the host's so they see what the file API sees; only fit for trusted code.
 * In both modes the local package index is readable only by sandboxes whose egress rules reach it.
 */
public final class Isolation {
    private static final Logger LOG = Logger.getLogger(Isolation.class.getName());

    /** Host uid and gid a root server runs sandbox processes as ("nobody" on Debian). */
    static final int SANDBOX_HOST_UID = 65534;
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final List<String> SYSTEM_DIRS = List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc");
    /** Where plain processes find the python shims: on the private /home, the one place the mounts own. */
    static final String PLAIN_SHIMS = "/home/.local-e2b/bin";
    /** Python as the sandboxes see it (the host's, read-only); the init, sudo and the port relay are Python. */
    static final String SANDBOX_PYTHON = "/usr/bin/python3";
    /** Where a sandbox sees the server's scripts for its init and sudo (bubblewrap only). */
    static final String MACHINE_DIR = "/home/.local-e2b/lib";
    private static final String INIT = "init.py";
    private static final String PORT_RELAY = "port-relay.py";
    /** Where a sandbox that may reach the package index finds it; pip is pointed here in every sandbox. */
    static final String PACKAGE_INDEX = "/home/.local-e2b/simple";
    /**
     * Run by /bin/sh in plain mode's fresh mount namespace, started in the sandbox root: mount sources
     * are relative to it because the first mounts may hide its host path (the data dir is often in /tmp).
     * $1 is the shim dir relative to the sandbox root, $2 the package index dir relative to it (empty:
     * none), $3 the working directory, the rest the command.
     */
    private static final String PLAIN_MOUNTS = """
            set -e
            mount -t tmpfs -o mode=755 local-e2b /home
            mkdir -p /home/user %1$s
            mount --no-canonicalize --bind home/user /home/user
            mount --no-canonicalize --bind root /root
            mount --no-canonicalize --bind tmp /tmp
            mount --no-canonicalize --bind "$1" %1$s
            if [ -n "$2" ]; then
              mkdir -p %2$s
              mount --no-canonicalize --bind -o ro "$2" %2$s
            fi
            cd "$3"
            shift 3
            exec "$@"
            """.formatted(PLAIN_SHIMS, PACKAGE_INDEX);

    public enum Mode {
        /** bubblewrap when it works on this machine, else plain with a loud warning. */
        AUTO,
        /** bubblewrap or refuse to start. */
        BWRAP,
        /** plain host processes. */
        NONE;

        static Mode parse(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** A user a command may run as inside the sandbox. */
    record SandboxUser(String name, int uid, String home) {
        static final SandboxUser USER = new SandboxUser("user", 1000, "/home/user");
        static final SandboxUser ROOT = new SandboxUser("root", 0, "/root");

        static SandboxUser named(String name) {
            return switch (name) {
                case "user" -> USER;
                case "root" -> ROOT;
                default -> null;
            };
        }
    }

    private final boolean bwrap;
    private final boolean serverIsRoot;
    private final LocalE2bSettings.Limits limits;
    private final PackageIndex packageIndex;
    private final Path shimDir;
    private final Path machineDir;
    private final Path passwdFile;
    private final Path groupFile;

    private Isolation(boolean bwrap, boolean serverIsRoot, LocalE2bSettings.Limits limits, PackageIndex packageIndex,
            Path supportDir) {
        this.bwrap = bwrap;
        this.serverIsRoot = serverIsRoot;
        this.limits = limits;
        this.packageIndex = packageIndex;
        this.shimDir = supportDir.resolve("bin");
        this.machineDir = supportDir.resolve("machine");
        this.passwdFile = supportDir.resolve("passwd");
        this.groupFile = supportDir.resolve("group");
    }

    static Isolation create(Mode mode, LocalE2bSettings.Limits limits, PackageIndex packageIndex, Path supportDir)
            throws IOException {
        boolean root = new UnixSystem().getUid() == 0;
        boolean bwrap = mode != Mode.NONE && bubblewrapWorks(root);
        if (mode == Mode.BWRAP && !bwrap) {
            throw new IllegalStateException("--isolation bwrap was asked for, but bubblewrap is missing or cannot create namespaces here (apt-get install -y bubblewrap)");
        }
        Isolation isolation = new Isolation(bwrap, root, limits, packageIndex, supportDir);
        isolation.writeSupportFiles();
        if (!bwrap) {
            if (!isolation.plainMountsWork(supportDir.resolve("probe"))) {
                throw new IllegalStateException("sandbox processes could not see their files: `unshare --mount` does not work here"
                        + " and bubblewrap is not in use (fix: apt-get install -y bubblewrap, and --isolation auto)");
            }
            LOG.warning("""

                        ************************************************************************
                        *  local-e2b: sandboxes are NOT isolated. Commands run as plain host  *
                        *  processes with this server's user and full network access.         *
                        *  Install bubblewrap (apt-get install -y bubblewrap) for isolation.  *
                        ************************************************************************""");
        }
        return isolation;
    }

    public boolean confined() {
        return bwrap;
    }

    private static boolean bubblewrapWorks(boolean root) {
        List<String> probe = new ArrayList<>();
        if (root) {
            probe.addAll(List.of("setpriv", "--reuid=" + SANDBOX_HOST_UID, "--regid=" + SANDBOX_HOST_UID, "--clear-groups"));
        }
        probe.addAll(List.of("bwrap", "--unshare-all", "--cap-drop", "ALL", "--ro-bind", "/", "/", "/bin/true"));
        return succeeds(new ProcessBuilder(probe));
    }

    /** Runs a command the way a plain sandbox would, index mount included, in a throwaway tree, to see that the mounts work. */
    private boolean plainMountsWork(Path probeTree) throws IOException {
        Files.createDirectories(probeTree);
        try {
            prepareTree(probeTree);
            List<String> probe = machine(probeTree, EgressRules.DEFAULT).command(SandboxUser.USER, SandboxUser.USER.home(), List.of("true"));
            return succeeds(new ProcessBuilder(probe).directory(probeTree.toFile()));
        } finally {
            Sandboxes.deleteTree(probeTree);
        }
    }

    private static boolean succeeds(ProcessBuilder builder) {
        try {
            Process process = builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** python and python3 resolve to Python 3, as in E2B's base template; users get E2B's names. */
    private void writeSupportFiles() throws IOException {
        Files.createDirectories(shimDir);
        Path python3 = Path.of("/usr/bin/python3");
        if (!bwrap) {
            python3 = findOnDefaultPath("python3");
        }
        if (python3 != null) {
            for (String name : List.of("python", "python3")) {
                Files.deleteIfExists(shimDir.resolve(name));
                Files.createSymbolicLink(shimDir.resolve(name), python3);
            }
        }
        Files.writeString(passwdFile, """
                root:x:0:0:root:/root:/bin/bash
                user:x:1000:1000:user:/home/user:/bin/bash
                nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
                """);
        Files.writeString(groupFile, "root:x:0:\nuser:x:1000:\nnogroup:x:65534:\n");
        Files.createDirectories(machineDir);
        MachineScripts.write(machineDir.resolve(INIT), MachineScripts.INIT);
        MachineScripts.write(machineDir.resolve(PORT_RELAY), MachineScripts.PORT_RELAY);
        MachineScripts.write(shimDir.resolve("sudo"), MachineScripts.SUDO);
        makeTraversable(shimDir.getParent());
    }

    /** Not the server's PATH: plain processes do not see its entries under /home, /root or /tmp (pyenv...). */
    private static Path findOnDefaultPath(String name) {
        for (String dir : DEFAULT_PATH.split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Directories on the way to a sandbox tree must be passable by the unprivileged sandbox uid. */
    static void makeTraversable(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }

    /** Creates the directories every sandbox starts with. */
    void prepareTree(Path root) throws IOException {
        Files.createDirectories(root.resolve("home/user"));
        Files.createDirectories(root.resolve("root"));
        Files.createDirectories(root.resolve("tmp"));
        Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        // Merged-/usr links (/bin -> usr/bin, ...) live in the tree itself: bubblewrap cannot lay a
        // link over an existing one when the same tree is started a second time.
        for (String dir : SYSTEM_DIRS) {
            Path host = Path.of(dir);
            Path inTree = root.resolve(dir.substring(1));
            if (Files.isSymbolicLink(host) && !Files.exists(inTree, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(inTree, Files.readSymbolicLink(host));
            }
        }
        if (!bwrap) {
            // bash -l resets PATH from /etc/profile; the profile puts python back in front.
            for (SandboxUser user : List.of(SandboxUser.USER, SandboxUser.ROOT)) {
                Files.writeString(root.resolve(user.home().substring(1)).resolve(".profile"), "export PATH=\"" + PLAIN_SHIMS + ":$PATH\"\n");
            }
        }
        for (Path path : List.of(root, root.resolve("home"), root.resolve("home/user"), root.resolve("root"), root.resolve("tmp"))) {
            adopt(path);
        }
    }

    /** Hands a path the server wrote to the sandbox's owner, so sandbox processes can change it. */
    void adopt(Path path) throws IOException {
        if (serverIsRoot && bwrap) {
            Files.setAttribute(path, "unix:uid", SANDBOX_HOST_UID, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", SANDBOX_HOST_UID, LinkOption.NOFOLLOW_LINKS);
        }
    }

    boolean packageIndexReachableBy(EgressRules egress) {
        return packageIndex.reachableBy(egress);
    }

    /** The machine a new sandbox's processes run on: its own namespaces under bubblewrap, else the host. */
    SandboxMachine machine(Path root, EgressRules egress) throws IOException {
        boolean indexReachable = packageIndex.reachableBy(egress);
        if (!bwrap) {
            return new HostMachine(limits(), reachable -> plainMounts(root, reachable), indexReachable);
        }
        return NamespaceMachine.boot(holderCommand(root, indexReachable), root, limits(), machineDir.resolve(PORT_RELAY),
                PACKAGE_INDEX, indexReachable);
    }

    private List<String> limits() {
        return List.of("prlimit",
                "--as=" + limits.memoryMb() * 1024 * 1024,
                "--fsize=" + limits.fileSizeMb() * 1024 * 1024,
                "--nofile=" + limits.openFiles(),
                "--nproc=" + limits.processes(),
                "--core=0",
                "--");
    }

    /**
     * The bubblewrap that makes a sandbox's namespaces and holds them with the sandbox's init until it is
     * killed. The package index is always mounted, and hidden under an empty tmpfs while the egress
     * rules do not reach it, so that a rules change can show or hide it in the live mount namespace.
     */
    private List<String> holderCommand(Path root, boolean indexReachable) {
        List<String> command = new ArrayList<>();
        if (serverIsRoot) {
            command.addAll(List.of("setpriv", "--reuid=" + SANDBOX_HOST_UID, "--regid=" + SANDBOX_HOST_UID, "--clear-groups"));
        }
        command.addAll(limits());
        command.addAll(List.of("bwrap",
                "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                "--uid", "0", "--gid", "0",
                "--hostname", "e2b",
                "--bind", root.toString(), "/"));
        for (String dir : SYSTEM_DIRS) {
            Path host = Path.of(dir);
            if (!Files.isSymbolicLink(host) && Files.isDirectory(host)) {
                command.addAll(List.of("--ro-bind", dir, dir));
            }
        }
        command.addAll(List.of("--ro-bind", packageIndex.dir().toString(), PACKAGE_INDEX));
        if (!indexReachable) {
            command.addAll(List.of("--tmpfs", PACKAGE_INDEX, "--remount-ro", PACKAGE_INDEX));
        }
        command.addAll(List.of(
                "--ro-bind", passwdFile.toString(), "/etc/passwd",
                "--ro-bind", groupFile.toString(), "/etc/group",
                "--ro-bind", shimDir.toString(), "/usr/local/bin",
                "--ro-bind", machineDir.toString(), MACHINE_DIR,
                "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/dev/shm", "--tmpfs", "/run",
                "--chdir", "/", "--"));
        command.addAll(Files.isExecutable(Path.of(SANDBOX_PYTHON))
                ? List.of("/bin/sh", "-c", "echo ready; exec " + SANDBOX_PYTHON + " -I " + MACHINE_DIR + "/" + INIT)
                : List.of("/bin/sh", "-c", "echo ready; exec sleep infinity"));
        return command;
    }

    /**
     * A private mount namespace (a user namespace too when not root, to be allowed to mount); the
     * working directory and the command follow.
     */
    private List<String> plainMounts(Path root, boolean indexReachable) {
        List<String> command = new ArrayList<>(List.of("unshare"));
        if (!serverIsRoot) {
            command.add("--map-root-user");
        }
        String index = indexReachable ? root.relativize(packageIndex.dir()).toString() : "";
        command.addAll(List.of("--mount", "--propagation", "private", "--",
                "/bin/sh", "-c", PLAIN_MOUNTS, "local-e2b", root.relativize(shimDir).toString(), index));
        return command;
    }

    /** The environment a sandbox process starts with, before sandbox and command env vars. */
    Map<String, String> baseEnvironment(SandboxUser user) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", bwrap ? DEFAULT_PATH : PLAIN_SHIMS + ":" + DEFAULT_PATH);
        env.put("HOME", user.home());
        env.put("USER", user.name());
        env.put("LOGNAME", user.name());
        env.put("LANG", "C.UTF-8");
        // Without the index mounted (egress rules that do not reach it) pip finds nothing, as on E2B.
        env.put("PIP_INDEX_URL", "file://" + PACKAGE_INDEX);
        // Debian's Python is EXTERNALLY-MANAGED (PEP 668); E2B's templates let users pip install.
        env.put("PIP_BREAK_SYSTEM_PACKAGES", "1");
        if (!bwrap) {
            // Plain processes run as the server's user, often root: install into the sandbox's home, not the host's Python.
            env.put("PIP_USER", "1");
        }
        return env;
    }
}
