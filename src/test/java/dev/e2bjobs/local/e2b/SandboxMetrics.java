package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * What E2B's metrics endpoints report for a sandbox, measured here: CPU and memory from its processes
 * (/proc), disk from its tree, against the size every local sandbox is reported to have.
 */
final class SandboxMetrics {
    /** The machine size GET /sandboxes/{id} reports for every local sandbox. */
    static final int CPU_COUNT = 2;
    static final int MEMORY_MB = 512;
    static final int DISK_SIZE_MB = 10240;
    private static final long CLOCK_TICKS_PER_SECOND = 100;
    private static final long PAGE_BYTES = 4096;
    private static final long MIB = 1024 * 1024;

    /** CPU time used by a sandbox's processes at a moment: the baseline of the next measurement. */
    record CpuSample(Instant at, long ticks) {
    }

    private SandboxMetrics() {
    }

    /** One SandboxMetric (control-plane shape); CPU use is the share since the sandbox's previous measurement. */
    static ObjectNode measure(Sandbox sandbox) {
        Instant now = Instant.now();
        CpuSample current = new CpuSample(now, sandbox.machine.processes().stream().mapToLong(p -> cpuTicks(p.pid())).sum());
        CpuSample previous = sandbox.swapCpuSample(current);
        double seconds = Math.max(0.001, Duration.between(previous.at(), now).toMillis() / 1000.0);
        double cpuPct = Math.max(0, current.ticks() - previous.ticks()) * 100.0 / (CLOCK_TICKS_PER_SECOND * seconds * CPU_COUNT);
        return Json.object()
                .put("timestamp", Json.time(now))
                .put("timestampUnix", now.getEpochSecond())
                .put("cpuCount", CPU_COUNT)
                .put("cpuUsedPct", Math.min(100.0, Math.round(cpuPct * 100) / 100.0))
                .put("memUsed", sandbox.machine.processes().stream().mapToLong(p -> residentBytes(p.pid())).sum())
                .put("memTotal", MEMORY_MB * MIB)
                .put("memCache", 0)
                .put("diskUsed", diskUsed(sandbox.files.root()))
                .put("diskTotal", DISK_SIZE_MB * MIB);
    }

    /** utime + stime, fields 14 and 15 of /proc/PID/stat (counted after the command name's closing parenthesis). */
    private static long cpuTicks(long pid) {
        String stat = read(Path.of("/proc", String.valueOf(pid), "stat"));
        if (stat.isEmpty()) {
            return 0;
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static long residentBytes(long pid) {
        String statm = read(Path.of("/proc", String.valueOf(pid), "statm"));
        return statm.isEmpty() ? 0 : Long.parseLong(statm.split(" ")[1]) * PAGE_BYTES;
    }

    /** A process that exits while it is measured counts for nothing. */
    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Bytes in the regular files of a tree. */
    static long diskUsed(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(SandboxMetrics::size).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // the tree changed under the walk; the next measurement counts again
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
