package dev.e2bjobs.local.e2b;

import dev.e2bjobs.local.e2b.FaultInjector.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the local E2B server. Defaults mirror E2B's Pro plan where E2B has a number
 * (20 concurrent sandboxes is the Hobby cap, which is what users most often hit).
 *
 * @param port               loopback port; 0 picks a free one
 * @param maxSandboxes       running sandboxes allowed at once; the next create gets 429
 * @param maxTimeoutSeconds  longest sandbox lifetime a create, connect or setTimeout may ask for
 * @param isolation          how sandbox processes are confined
 * @param limits             rlimits applied to every sandbox process
 * @param faults             injected latency and failures per route family
 * @param apiKey             the only API key accepted, or null to accept any well-formed key
 * @param dataDir            where sandbox trees and snapshots live, or null for a fresh temporary directory
 * @param packages           the package index sandboxes may reach
 */
public record LocalE2bSettings(int port, int maxSandboxes, int maxTimeoutSeconds, Isolation.Mode isolation,
        Limits limits, Map<RouteFamily, Fault> faults, String apiKey, Path dataDir, Packages packages) {

    /** Resource limits per sandbox process (applied as rlimits). */
    public record Limits(long memoryMb, long fileSizeMb, int openFiles, int processes) {
        static final Limits DEFAULT = new Limits(4096, 1024, 4096, 4096);
    }

    /**
     * The local package index: the host names it counts as hosted at, and a directory of extra wheels
     * (or null) to serve beside the built-in probe package.
     */
    public record Packages(List<String> indexHosts, Path wheelsDir) {
        static final Packages DEFAULT = new Packages(List.of("pypi.org", "files.pythonhosted.org"), null);
    }

    public static LocalE2bSettings defaults() {
        return new LocalE2bSettings(0, 20, 24 * 3600, Isolation.Mode.AUTO, Limits.DEFAULT, Map.of(), null, null, Packages.DEFAULT);
    }

    public LocalE2bSettings withPort(int newPort) {
        return new LocalE2bSettings(newPort, maxSandboxes, maxTimeoutSeconds, isolation, limits, faults, apiKey, dataDir, packages);
    }

    public LocalE2bSettings withMaxSandboxes(int max) {
        return new LocalE2bSettings(port, max, maxTimeoutSeconds, isolation, limits, faults, apiKey, dataDir, packages);
    }

    public LocalE2bSettings withIsolation(Isolation.Mode mode) {
        return new LocalE2bSettings(port, maxSandboxes, maxTimeoutSeconds, mode, limits, faults, apiKey, dataDir, packages);
    }

    public LocalE2bSettings withFaults(Map<RouteFamily, Fault> newFaults) {
        return new LocalE2bSettings(port, maxSandboxes, maxTimeoutSeconds, isolation, limits, newFaults, apiKey, dataDir, packages);
    }

    public LocalE2bSettings withApiKey(String key) {
        return new LocalE2bSettings(port, maxSandboxes, maxTimeoutSeconds, isolation, limits, faults, key, dataDir, packages);
    }

    public LocalE2bSettings withDataDir(Path dir) {
        return new LocalE2bSettings(port, maxSandboxes, maxTimeoutSeconds, isolation, limits, faults, apiKey, dir, packages);
    }

    static final String USAGE = """
            usage: local-e2b [--port N] [--max-sandboxes N] [--max-timeout-seconds N]
                             [--isolation auto|bwrap|none] [--memory-mb N] [--file-size-mb N]
                             [--fail-rate 0..1] [--fail-status 429,500,502,503] [--latency-ms N]
                             [--fault-routes control,files,rpc] [--api-key e2b_...] [--data-dir DIR]
                             [--index-hosts pypi.org,files.pythonhosted.org] [--wheels-dir DIR]""";

    /** Parses command-line flags; an unknown flag or a bad value is an IllegalArgumentException. */
    public static LocalE2bSettings parse(String... args) {
        LocalE2bSettings s = defaults();
        int port = s.port, maxSandboxes = s.maxSandboxes, maxTimeout = s.maxTimeoutSeconds;
        Isolation.Mode isolation = s.isolation;
        long memoryMb = s.limits.memoryMb(), fileSizeMb = s.limits.fileSizeMb();
        double failRate = 0;
        List<Integer> failStatuses = List.of(503);
        long latency = 0;
        Set<RouteFamily> families = EnumSet.allOf(RouteFamily.class);
        String apiKey = null;
        Path dataDir = null;
        List<String> indexHosts = s.packages.indexHosts();
        Path wheelsDir = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + flag);
            }
            String value = args[++i];
            switch (flag) {
                case "--port" -> port = Integer.parseInt(value);
                case "--max-sandboxes" -> maxSandboxes = Integer.parseInt(value);
                case "--max-timeout-seconds" -> maxTimeout = Integer.parseInt(value);
                case "--isolation" -> isolation = Isolation.Mode.parse(value);
                case "--memory-mb" -> memoryMb = Long.parseLong(value);
                case "--file-size-mb" -> fileSizeMb = Long.parseLong(value);
                case "--fail-rate" -> failRate = Double.parseDouble(value);
                case "--fail-status" -> failStatuses = Arrays.stream(value.split(",")).map(String::trim).map(Integer::valueOf).toList();
                case "--latency-ms" -> latency = Long.parseLong(value);
                case "--fault-routes" -> {
                    families = EnumSet.noneOf(RouteFamily.class);
                    for (String name : value.split(",")) {
                        families.add(RouteFamily.parse(name));
                    }
                }
                case "--api-key" -> apiKey = value;
                case "--data-dir" -> dataDir = Path.of(value);
                case "--index-hosts" -> indexHosts = Arrays.stream(value.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
                case "--wheels-dir" -> wheelsDir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (port < 0 || port > 65535 || maxSandboxes < 1 || maxTimeout < 1 || memoryMb < 64 || fileSizeMb < 1) {
            throw new IllegalArgumentException("port, limits and caps must be positive and in range");
        }
        if (indexHosts.isEmpty() || wheelsDir != null && !Files.isDirectory(wheelsDir)) {
            throw new IllegalArgumentException("--index-hosts needs a host name and --wheels-dir an existing directory");
        }
        Map<RouteFamily, Fault> faults = new EnumMap<>(RouteFamily.class);
        if (failRate > 0 || latency > 0) {
            Fault fault = new Fault(failRate, new ArrayList<>(failStatuses), latency);
            families.forEach(family -> faults.put(family, fault));
        }
        Limits limits = new Limits(memoryMb, fileSizeMb, s.limits.openFiles(), s.limits.processes());
        return new LocalE2bSettings(port, maxSandboxes, maxTimeout, isolation, limits, faults, apiKey, dataDir,
                new Packages(indexHosts, wheelsDir));
    }
}
