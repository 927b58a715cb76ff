package dev.e2bjobs.local.e2b;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Adds latency and fails a share of requests per route family, so that clients' retry, timeout and
 * circuit-breaker policies can be exercised against a server that otherwise behaves correctly. It
 * also counts the requests of each family, so tests can see how many attempts a client made.
 */
public final class FaultInjector {

    /**
     * What to do to one route family: delay every request, then fail {@code failRate} of them.
     *
     * @param afterHandling  fail only after the request took effect, as when a proxy loses a slow
     *                       upstream's answer (streaming calls are always failed before)
     * @param times          how many more requests the fault applies to; 0 for no limit
     */
    public record Fault(double failRate, List<Integer> failStatuses, long latencyMillis, boolean afterHandling, int times) {
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
            if (latencyMillis < 0 || times < 0) {
                throw new IllegalArgumentException("latency and times must not be negative");
            }
            failStatuses = List.copyOf(failStatuses);
        }

        public Fault(double failRate, List<Integer> failStatuses, long latencyMillis) {
            this(failRate, failStatuses, latencyMillis, false, 0);
        }
    }

    /** The fate of one request: no error, or an error answered before or after handling it. */
    record Injection(HttpError error, boolean afterHandling) {
        static final Injection NONE = new Injection(null, false);
    }

    /** Seconds a client is told to wait after an injected 429. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final Map<RouteFamily, Fault> faults = new EnumMap<>(RouteFamily.class);
    private final Map<RouteFamily, Integer> remaining = new EnumMap<>(RouteFamily.class);
    private final Map<RouteFamily, Long> requests = new EnumMap<>(RouteFamily.class);

    FaultInjector(Map<RouteFamily, Fault> initial) {
        initial.forEach(this::set);
    }

    public synchronized void set(RouteFamily family, Fault fault) {
        faults.put(family, fault);
        remaining.put(family, fault.times());
    }

    public synchronized void clear() {
        faults.clear();
        remaining.clear();
    }

    /** Requests of a family seen since the server started. */
    public synchronized long requests(RouteFamily family) {
        return requests.getOrDefault(family, 0L);
    }

    /** Counts the request and picks its fault, using up one of a limited fault's times. */
    private synchronized Fault take(RouteFamily family) {
        requests.merge(family, 1L, Long::sum);
        Fault fault = faults.getOrDefault(family, Fault.NONE);
        int left = remaining.getOrDefault(family, 0);
        if (left == 1) {
            faults.remove(family);
            remaining.remove(family);
        } else if (left > 1) {
            remaining.put(family, left - 1);
        }
        return fault;
    }

    /** Sleeps for the configured latency, then decides whether and when this request fails. */
    Injection next(RouteFamily family) {
        Fault fault = take(family);
        if (fault.latencyMillis() > 0) {
            try {
                Thread.sleep(fault.latencyMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (fault.failRate() == 0 || random.nextDouble() >= fault.failRate()) {
            return Injection.NONE;
        }
        int status = fault.failStatuses().get(random.nextInt(fault.failStatuses().size()));
        HttpError error = status == 429
                ? new HttpError(429, Json.object().put("code", 429).put("message", "Rate limit exceeded"),
                        Map.of("Retry-After", String.valueOf(RETRY_AFTER_SECONDS), "RateLimit-Remaining", "0",
                                "RateLimit-Reset", String.valueOf(RETRY_AFTER_SECONDS)))
                : HttpError.of(status, "injected fault (" + family.name().toLowerCase(Locale.ROOT) + ")");
        return new Injection(error, fault.afterHandling());
    }
}
