package dev.e2bjobs.local.e2b;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Counts the files of the local package index that are opened, by any process: sandboxes see the index
 * through a bind mount of its host directory, so inotify on that directory sees their opens (pip's
 * reads of its pages and wheels). The JDK's WatchService reports no opens, so a small Python program
 * holds the inotify instance; asked for the count, it first takes in every event already queued, so
 * the answer includes every open that finished before the question.
 */
final class IndexReads implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IndexReads.class.getName());
    private static final String PYTHON = Isolation.SANDBOX_PYTHON;
    private static final String WATCHER = """
            import ctypes, os, select, struct, sys

            IN_OPEN, IN_ISDIR = 0x20, 0x40000000
            libc = ctypes.CDLL(None, use_errno=True)
            inotify = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
            for directory, _, _ in os.walk(sys.argv[1]):
                if libc.inotify_add_watch(inotify, os.fsencode(directory), IN_OPEN) < 0:
                    sys.exit("cannot watch %s: %s" % (directory, os.strerror(ctypes.get_errno())))
            opened = 0


            def take_queued_events():
                global opened
                while True:
                    try:
                        events = os.read(inotify, 65536)
                    except BlockingIOError:
                        return
                    offset = 0
                    while offset < len(events):
                        _, mask, _, length = struct.unpack_from("iIII", events, offset)
                        opened += bool(mask & IN_OPEN and not mask & IN_ISDIR)
                        offset += 16 + length


            print("watching", flush=True)
            while True:
                readable, _, _ = select.select([inotify, sys.stdin], [], [])
                if inotify in readable:
                    take_queued_events()
                if sys.stdin in readable:
                    if not sys.stdin.readline():
                        break
                    take_queued_events()
                    print(opened, flush=True)
            """;

    private final Process watcher;
    private final Writer questions;
    private final BufferedReader answers;

    private IndexReads(Process watcher) {
        this.watcher = watcher;
        this.questions = watcher.outputWriter(StandardCharsets.UTF_8);
        this.answers = new BufferedReader(new InputStreamReader(watcher.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts counting; without the host's Python there is no count (empty), rather than a count that stays 0. */
    static Optional<IndexReads> watch(Path indexDir) throws IOException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            LOG.warning("package-index reads are not counted: " + PYTHON + " is missing");
            return Optional.empty();
        }
        IndexReads reads = new IndexReads(new ProcessBuilder(PYTHON, "-I", "-c", WATCHER, indexDir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start());
        if (!"watching".equals(reads.answers.readLine())) {
            reads.close();
            throw new IOException("the package-index watcher did not start (see its error above)");
        }
        return Optional.of(reads);
    }

    /** Index files opened since the server started. */
    synchronized long count() {
        try {
            questions.write("count\n");
            questions.flush();
            String answer = answers.readLine();
            if (answer == null) {
                throw new IOException("no answer");
            }
            return Long.parseLong(answer);
        } catch (IOException e) {
            throw new UncheckedIOException("the package-index watcher has stopped", e);
        }
    }

    @Override
    public void close() {
        watcher.destroy();
    }
}
