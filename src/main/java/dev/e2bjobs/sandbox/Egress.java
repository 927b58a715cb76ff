package dev.e2bjobs.sandbox;

import java.util.List;

/**
 * Where a sandbox's processes may connect to: nowhere, anywhere, or only the named hosts (e.g. the
 * package index a job's dependencies come from).
 *
 * @param anywhere  the whole internet
 * @param hosts     with {@code anywhere} false: the only hosts reachable (none: no network at all)
 */
public record Egress(boolean anywhere, List<String> hosts) {
    public static final Egress NONE = new Egress(false, List.of());
    public static final Egress ANYWHERE = new Egress(true, List.of());

    public Egress {
        hosts = List.copyOf(hosts);
    }

    public static Egress only(List<String> hosts) {
        return new Egress(false, hosts);
    }
}
