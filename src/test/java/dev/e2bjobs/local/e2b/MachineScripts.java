package dev.e2bjobs.local.e2b;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The small programs a sandbox's machine runs: its init, sudo, and the relay that reaches its ports. */
final class MachineScripts {
    private MachineScripts() {
    }

    /**
     * The sandbox's init, run as the sandbox's root (without capabilities) in its namespaces: it holds
     * them while the sandbox lives, and runs commands as root for sudo, with the caller's stdin, stdout
     * and stderr (passed over the socket) and the caller's exit status. The holder says "ready" before
     * Python starts, so a sandbox's first command does not wait for it; sudo waits for the socket.
     */
    static final String INIT = """
            import json, os, socket, threading

            SOCKET = "/run/local-e2b/sudo.sock"


            def run_as_root(conn):
                with conn:
                    message, fds, _, _ = socket.recv_fds(conn, 1 << 20, 3)
                    request = json.loads(message)
                    pid = os.fork()
                    if pid == 0:
                        for target, fd in enumerate(fds):
                            os.dup2(fd, target)
                        try:
                            os.chdir(request["cwd"])
                        except OSError:
                            os.chdir("/root")
                        try:
                            os.execvpe(request["argv"][0], request["argv"], request["env"])
                        except OSError as e:
                            os.write(2, ("sudo: %s: %s\\n" % (request["argv"][0], e.strerror)).encode())
                            os._exit(127 if isinstance(e, FileNotFoundError) else 126)
                    for fd in fds:
                        os.close(fd)
                    _, status = os.waitpid(pid, 0)
                    try:
                        conn.send(str(os.waitstatus_to_exitcode(status)).encode())
                    except OSError:
                        pass  # sudo was killed meanwhile


            os.makedirs(os.path.dirname(SOCKET), exist_ok=True)
            server = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            server.bind(SOCKET)
            os.chmod(SOCKET, 0o666)
            server.listen(64)
            while True:
                connection, _ = server.accept()
                threading.Thread(target=run_as_root, args=(connection,), daemon=True).start()
            """;

    /** E2B's base template gives its user passwordless sudo; here the sandbox's init runs the command as root. */
    static final String SUDO = """
            #!/usr/bin/python3
            import json, os, socket, sys, time

            SOCKET = "/run/local-e2b/sudo.sock"
            MACHINE = "@MACHINE_DIR@"  # only sandboxes under bubblewrap have an init that serves sudo
            USAGE = "usage: sudo [-E] [-H] [-n] [-u root] [-i | -s] [--] [command [args...]]"
            ROOT_ENV = {"HOME": "/root", "USER": "root", "LOGNAME": "root", "SHELL": "/bin/bash"}
            KEPT = ("PATH", "TERM", "LANG", "LC_ALL", "PIP_INDEX_URL", "PIP_BREAK_SYSTEM_PACKAGES")


            def parse(args):
                keep_env, shell = False, None
                while args and args[0].startswith("-") and args[0] != "-":
                    option = args.pop(0)
                    if option == "--":
                        break
                    if option in ("-E", "--preserve-env"):
                        keep_env = True
                    elif option in ("-i", "--login"):
                        shell = ["/bin/bash", "-l"]
                    elif option in ("-s", "--shell"):
                        shell = ["/bin/bash"]
                    elif option == "-u":
                        if not args or args.pop(0) not in ("root", "0", "#0"):
                            sys.exit("sudo: only root is known here")
                    elif option not in ("-H", "-n", "-S", "-k"):
                        sys.exit("sudo: invalid option '%s'\\n%s" % (option, USAGE))
                if shell:
                    return keep_env, shell + (["-c", " ".join(args)] if args else [])
                if not args:
                    sys.exit(USAGE)
                return keep_env, args


            def environment(keep_env):
                env = dict(os.environ) if keep_env else {k: v for k, v in os.environ.items() if k in KEPT}
                env.update(ROOT_ENV)
                env.update(SUDO_USER=os.environ.get("USER", "user"), SUDO_UID=str(os.getuid()), SUDO_GID=str(os.getgid()))
                return env


            keep_env, argv = parse(sys.argv[1:])
            for _ in range(100 if os.path.isdir(MACHINE) else 0):  # the init may still be starting
                if os.path.exists(SOCKET):
                    break
                time.sleep(0.05)
            if not os.path.exists(SOCKET):
                if os.geteuid() == 0:
                    os.execvp(argv[0], argv)
                sys.exit("sudo: no root here: the local E2B server runs this sandbox without bubblewrap")
            request = json.dumps({"argv": argv, "env": environment(keep_env), "cwd": os.getcwd()}).encode()
            with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as init:
                init.connect(SOCKET)
                socket.send_fds(init, [request], [0, 1, 2])
                reply = init.recv(32)
            code = int(reply) if reply else 1
            sys.exit(code if code >= 0 else 128 - code)
            """.replace("@MACHINE_DIR@", Isolation.MACHINE_DIR);

    /**
     * Run on the host joined to a sandbox's network namespace: connects to a port on the sandbox's
     * loopback, says whether it could ("1" or "0"), then relays stdin to the port and the port to stdout.
     */
    static final String PORT_RELAY = """
            import os, socket, sys, threading

            out = sys.stdout.buffer
            try:
                port = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
            except OSError:
                out.write(b"0")
                sys.exit(0)
            out.write(b"1")
            out.flush()


            def upstream():
                while True:
                    data = os.read(0, 65536)
                    if not data:
                        port.shutdown(socket.SHUT_WR)
                        return
                    port.sendall(data)


            threading.Thread(target=upstream, daemon=True).start()
            while True:
                data = port.recv(65536)
                if not data:
                    break
                out.write(data)
                out.flush()
            """;

    static void write(Path file, String script) throws IOException {
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
