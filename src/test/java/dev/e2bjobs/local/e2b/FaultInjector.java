package dev.e2bjobs.local.e2b;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Adds latency and fails a share of requests per route family, so that clients' retry, timeout and
 * circuit-breaker policies can be exercised against a server that otherwise behaves correctly.
 */
public final class FaultInjector {

    /** What to do to one route family: delay every request, then fail {@code failRate} of them. */
    public record Fault(double failRate, List<Integer> failStatuses, long latencyMillis) {
        static final Fault NONE = new Fault(0, List.of(), 0);

        public Fault {
            if (failRate < 0 || failRate > 1) {
                throw new IllegalArgumentException("fail rate must be within 0..1, got " + failRate);
            }
            for (int status : failStatuses) {
                if (status != 429 && status != 500 && status != 502 && status != 503) {
                    throw new IllegalArgumentException("fail status must be one of 429, 500, 502, 503, got " + status);
                }
            }
            if (failRate > 0 && failStatuses.isEmpty()) {
                throw new IllegalArgumentException("a fail rate needs at least one fail status");
            }
            if (latencyMillis < 0) {
                throw new IllegalArgumentException("latency must not be negative");
            }
            failStatuses = List.copyOf(failStatuses);
        }
    }

    /** Seconds a client is told to wait after an injected 429. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final Map<RouteFamily, Fault> faults = new EnumMap<>(RouteFamily.class);

    FaultInjector(Map<RouteFamily, Fault> initial) {
        faults.putAll(initial);
    }

    public synchronized void set(RouteFamily family, Fault fault) {
        faults.put(family, fault);
    }

    public synchronized void clear() {
        faults.clear();
    }

    private synchronized Fault faultFor(RouteFamily family) {
        return faults.getOrDefault(family, Fault.NONE);
    }

    /** Sleeps for the configured latency, then throws the injected error for an unlucky request. */
    void apply(RouteFamily family) {
        Fault fault = faultFor(family);
        if (fault.latencyMillis() > 0) {
            try {
                Thread.sleep(fault.latencyMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (fault.failRate() == 0 || random.nextDouble() >= fault.failRate()) {
            return;
        }
        int status = fault.failStatuses().get(random.nextInt(fault.failStatuses().size()));
        if (status == 429) {
            throw new HttpError(429, Json.object().put("code", 429).put("message", "Rate limit exceeded"),
                    Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS), "RateLimit-Remaining", "0",
                            "RateLimit-Reset", String.valueOf(RETRY_AFTER_SECONDS)));
        }
        throw HttpError.of(status, "injected fault (" + family.name().toLowerCase(java.util.Locale.ROOT) + ")");
    }
}
