package dev.e2bjobs.e2b;

import dev.e2bjobs.config.AppConfig;
import dev.e2bjobs.config.Secret;
import dev.e2bjobs.sandbox.Egress;
import dev.e2bjobs.sandbox.FileEntry;
import dev.e2bjobs.sandbox.FileTail;
import dev.e2bjobs.sandbox.ProcessExit;
import dev.e2bjobs.sandbox.SandboxCommand;
import dev.e2bjobs.sandbox.SandboxException;
import dev.e2bjobs.sandbox.SandboxFile;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxInfo;
import dev.e2bjobs.sandbox.SandboxNotFoundException;
import dev.e2bjobs.sandbox.SandboxRateLimitedException;
import dev.e2bjobs.sandbox.SandboxRef;
import dev.e2bjobs.sandbox.SandboxSpec;
import dev.e2bjobs.sandbox.SandboxUnauthorizedException;
import dev.e2bjobs.sandbox.SandboxUnavailableException;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import dev.e2bjobs.ops.EmfLine;
import dev.e2bjobs.ops.Metrics;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The sandbox port on E2B. Every operation runs under its own fault-tolerance guard (retry, timeout,
 * circuit breaker; see {@link #guard}); whatever still fails reaches the caller as one of the
 * SandboxException failure modes, never as a fault-tolerance or JAX-RS type.
 */
@ApplicationScoped
public class E2bSandboxGateway implements SandboxGateway {
    private static final Logger LOG = Logger.getLogger(E2bSandboxGateway.class);
    /** Result trees deeper than this are not listed. */
    static final int LIST_DEPTH = 16;
    /** Bounds one listOwned call: 100 pages of 100 sandboxes. */
    static final int MAX_LIST_PAGES = 100;

    private final E2bApi api;
    private final EnvdClient envd;
    private final E2bApiKey apiKey;
    private final Guard createGuard;
    private final Guard uploadGuard;
    private final Guard startGuard;
    private final Guard readGuard;
    private final Guard listFilesGuard;
    private final Guard processesGuard;
    private final Guard awaitGuard;
    private final Guard killGuard;
    private final Guard listGuard;
    private final Guard networkGuard;
    private final Guard snapshotGuard;
    private final Guard deleteSnapshotGuard;
    private final Metrics metrics;

    E2bSandboxGateway(@RestClient E2bApi api, EnvdClient envd, E2bApiKey apiKey, AppConfig config, Metrics metrics) {
        this.api = api;
        this.metrics = metrics;
        this.envd = envd;
        this.apiKey = apiKey;
        AppConfig.E2b e2b = config.e2b();
        this.createGuard = guard("create", e2b.timeouts().create(), e2b);
        this.uploadGuard = guard("upload", e2b.timeouts().transfer(), e2b);
        this.startGuard = guard("start", e2b.timeouts().call(), e2b);
        this.readGuard = guard("read", e2b.timeouts().transfer(), e2b);
        this.listFilesGuard = guard("list-files", e2b.timeouts().call(), e2b);
        this.processesGuard = guard("list-processes", e2b.timeouts().call(), e2b);
        // Waiting is not retried: a wait that fails only ends early, and the caller's next look asks
        // again. It holds its request open for up to the wait itself, so the transfer limit bounds it.
        this.awaitGuard = Guard.create().withDescription("E2B await exit")
                .withTimeout().duration(e2b.timeouts().transfer().toMillis(), ChronoUnit.MILLIS).done()
                .build();
        this.killGuard = guard("kill", e2b.timeouts().call(), e2b);
        this.listGuard = guard("list-sandboxes", e2b.timeouts().call(), e2b);
        this.networkGuard = guard("set-network", e2b.timeouts().call(), e2b);
        // A snapshot copies a whole environment: it gets a create's time.
        this.snapshotGuard = guard("snapshot", e2b.timeouts().create(), e2b);
        this.deleteSnapshotGuard = guard("delete-snapshot", e2b.timeouts().call(), e2b);
    }

    /**
     * One operation's policies. Each operation has its own circuit breaker, so that failing creates
     * cannot stop kills, which are what keeps a dead job from costing money.
     */
    static Guard guard(String operation, Duration timeout, AppConfig.E2b e2b) {
        AppConfig.RetryPolicy retry = e2b.retry();
        AppConfig.CircuitBreakerPolicy breaker = e2b.circuitBreaker();
        return Guard.create()
                .withDescription("E2B " + operation)
                // Retry: 429s and 5xx are E2B asking us to come back (rate limits, placement under load);
                // 4xx answers are final, so only rate-limited, unavailable and timed-out attempts retry.
                .withRetry()
                    .maxRetries(retry.maxRetries())
                    .delay(retry.initialDelay().toMillis(), ChronoUnit.MILLIS)
                    .jitter(0, ChronoUnit.MILLIS) // RetryAfterBackoff adds its own
                    .maxDuration(retry.maxDuration().toMillis(), ChronoUnit.MILLIS)
                    .retryOn(List.of(SandboxRateLimitedException.class, SandboxUnavailableException.class, TimeoutException.class))
                    // Backoff: honour E2B's Retry-After up to a cap, else exponential with jitter.
                    .withCustomBackoff()
                        .strategy(() -> new RetryAfterBackoff(retry.maxDelay(), retry.retryAfterCap()))
                        .done()
                    .done()
                // Circuit breaker: when E2B is down, fail in microseconds instead of holding a Lambda
                // for minutes of retries; 429s mean E2B is alive, so they do not count as failures.
                .withCircuitBreaker()
                    .name("e2b-" + operation)
                    .requestVolumeThreshold(breaker.requestVolume())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.openFor().toMillis(), ChronoUnit.MILLIS)
                    .failOn(List.of(SandboxUnavailableException.class, TimeoutException.class))
                    .done()
                // Timeout: per attempt, sized per kind of call, so a hung connection cannot eat the
                // whole invocation.
                .withTimeout()
                    .duration(timeout.toMillis(), ChronoUnit.MILLIS)
                    .done()
                .build();
    }

    @Override
    public SandboxRef create(SandboxSpec spec) {
        E2bApi.NewSandbox body = new E2bApi.NewSandbox(spec.template(), Math.toIntExact(spec.timeout().toSeconds()),
                spec.allMetadata(), spec.envVars(), internetSwitch(spec.egress()), allowList(spec.egress()), false);
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger rateLimited = new AtomicInteger();
        AtomicBoolean answerLost = new AtomicBoolean();
        long began = System.nanoTime();
        E2bApi.Sandbox created;
        try {
            created = guarded(createGuard, "create", () -> {
                attempts.incrementAndGet();
                try {
                    return control(() -> api.create(body), "create");
                } catch (SandboxRateLimitedException e) {
                    rateLimited.incrementAndGet();
                    throw e;
                } catch (SandboxUnavailableException e) {
                    // a 5xx, broken connection or timeout says nothing about whether E2B created it
                    answerLost.set(true);
                    throw e;
                }
            });
        } catch (SandboxException e) {
            created(began, rateLimited.get(), e);
            if (answerLost.get()) {
                killOtherSandboxesOf(spec.jobId(), null);
            }
            throw e;
        }
        created(began, rateLimited.get(), null);
        if (attempts.get() > 1) {
            killOtherSandboxesOf(spec.jobId(), created.sandboxID());
        }
        return new SandboxRef(created.sandboxID(), created.envdAccessToken(), created.domain());
    }

    @Override
    public void upload(SandboxRef sandbox, List<SandboxFile> files) {
        guarded(uploadGuard, "upload", () -> {
            envd.upload(sandbox, files);
            return null;
        });
    }

    @Override
    public long startBackground(SandboxRef sandbox, SandboxCommand command) {
        AtomicInteger attempts = new AtomicInteger();
        return guarded(startGuard, "start", () -> {
            if (attempts.incrementAndGet() > 1 && command.tag() != null) {
                // the previous attempt may have started the process before its answer was lost
                Optional<Long> running = envd.processes(sandbox).stream()
                        .filter(process -> command.tag().equals(process.tag()))
                        .map(EnvdClient.ProcessInfo::pid)
                        .findFirst();
                if (running.isPresent()) {
                    return running.get();
                }
            }
            return envd.start(sandbox, command);
        });
    }

    @Override
    public ProcessExit awaitExit(SandboxRef sandbox, long pid, Duration wait, int maxStdoutBytes) {
        return guarded(awaitGuard, "await exit", () -> envd.connect(sandbox, pid, wait, maxStdoutBytes)
                .map(status -> new ProcessExit(status.exited(), status.stdout())).orElse(new ProcessExit(true, new byte[0])));
    }

    @Override
    public boolean isRunning(SandboxRef sandbox, String tag) {
        return guarded(processesGuard, "list processes", () -> envd.processes(sandbox).stream()
                .anyMatch(process -> tag.equals(process.tag())));
    }

    @Override
    public Optional<byte[]> readFile(SandboxRef sandbox, String path) {
        return guarded(readGuard, "read", () -> envd.download(sandbox, path));
    }

    @Override
    public Optional<FileTail> readFileTail(SandboxRef sandbox, String path, int maxBytes) {
        return guarded(readGuard, "read", () -> envd.downloadTail(sandbox, path, maxBytes));
    }

    @Override
    public List<FileEntry> listFiles(SandboxRef sandbox, String directory) {
        return guarded(listFilesGuard, "list files", () -> envd.listDir(sandbox, directory, LIST_DEPTH).stream()
                .filter(entry -> entry.type() == FileEntry.Type.FILE)
                .toList());
    }

    @Override
    public boolean kill(String sandboxId) {
        return removed(killGuard, "kill", () -> api.kill(sandboxId));
    }

    @Override
    public String snapshot(SandboxRef sandbox, String name) {
        return guarded(snapshotGuard, "snapshot", () -> control(
                () -> api.snapshot(sandbox.sandboxId(), new E2bApi.NewSnapshot(name)).snapshotID(), "snapshot"));
    }

    @Override
    public boolean deleteSnapshot(String idOrName) {
        return removed(deleteSnapshotGuard, "delete snapshot", () -> api.deleteTemplate(idOrName));
    }

    /** A control-plane call that removes something: true if it was there, false on E2B's 404. */
    private boolean removed(Guard guard, String operation, Runnable call) {
        return guarded(guard, operation, () -> {
            try {
                control(() -> {
                    call.run();
                    return null;
                }, operation);
                return true;
            } catch (SandboxNotFoundException e) {
                return false;
            }
        });
    }

    @Override
    public void setEgress(SandboxRef sandbox, Egress egress) {
        E2bApi.Network allowList = allowList(egress);
        E2bApi.NetworkUpdate update = allowList == null ? new E2bApi.NetworkUpdate(internetSwitch(egress), null, null)
                : new E2bApi.NetworkUpdate(null, allowList.allowOut(), allowList.denyOut());
        guarded(networkGuard, "set network", () -> control(() -> {
            api.setNetwork(sandbox.sandboxId(), update);
            return null;
        }, "set network"));
    }

    @Override
    public List<SandboxInfo> listOwned(Map<String, String> metadata) {
        String filter = E2bApi.metadataQuery(metadata);
        List<SandboxInfo> sandboxes = new ArrayList<>();
        String nextToken = null;
        for (int page = 0; page < MAX_LIST_PAGES; page++) {
            String token = nextToken;
            RestResponse<List<E2bApi.SandboxDetail>> answer = guarded(listGuard, "list", () -> control(
                    () -> api.list(filter, E2bApi.RUNNING_AND_PAUSED, E2bApi.MAX_PAGE, token), "list"));
            answer.getEntity().forEach(detail -> sandboxes.add(info(detail)));
            nextToken = answer.getHeaderString(E2bApi.NEXT_TOKEN);
            if (nextToken == null || nextToken.isEmpty()) {
                return sandboxes;
            }
        }
        LOG.warnf("E2B list: stopped after %d pages (%d sandboxes); the rest waits for the next call",
                MAX_LIST_PAGES, sandboxes.size());
        return sandboxes;
    }

    /** E2B's on/off switch: on for the whole internet, off for none, absent (E2B's default: on) where an allow-list rules. */
    private static Boolean internetSwitch(Egress egress) {
        return egress.anywhere() ? Boolean.TRUE : egress.hosts().isEmpty() ? Boolean.FALSE : null;
    }

    /** Only some hosts: those allowed, everything else denied (E2B matches host names by TLS SNI or the HTTP Host header). */
    private static E2bApi.Network allowList(Egress egress) {
        return egress.anywhere() || egress.hosts().isEmpty() ? null
                : new E2bApi.Network(egress.hosts(), List.of(E2bApi.Network.ALL_TRAFFIC));
    }

    /**
     * Metrics of one create, retries included: how long it took, the 429s E2B answered on the way, and
     * whether it failed for good (rate-limited, or E2B unavailable: what the E2B-unavailable alarm watches).
     */
    private void created(long beganNanos, int rateLimited, SandboxException failure) {
        EmfLine line = metrics.line().metric("E2bCreateLatency", EmfLine.Unit.MILLISECONDS, (System.nanoTime() - beganNanos) / 1_000_000)
                .metric("E2bRateLimited", EmfLine.Unit.COUNT, rateLimited)
                .metric("E2bCreateFailures", EmfLine.Unit.COUNT, failure instanceof SandboxUnavailableException ? 1 : 0);
        if (failure != null) {
            line.property("failure", failure.getClass().getSimpleName());
        }
        metrics.emit(line);
    }

    /** Kills every sandbox tagged with the job id except {@code keepId}; failures are left to the sweep. */
    private void killOtherSandboxesOf(String jobId, String keepId) {
        try {
            for (SandboxInfo duplicate : listOwned(Map.of(SandboxSpec.JOB_ID_KEY, jobId))) {
                if (!duplicate.sandboxId().equals(keepId)) {
                    LOG.infof("E2B create: killing sandbox %s, a duplicate left by a retried create for job %s",
                            duplicate.sandboxId(), jobId);
                    kill(duplicate.sandboxId());
                }
            }
        } catch (SandboxException e) {
            LOG.warnf("E2B create: could not look for duplicate sandboxes of job %s (%s); the sweep will",
                    jobId, e.getMessage());
        }
    }

    private static SandboxInfo info(E2bApi.SandboxDetail detail) {
        SandboxInfo.State state = "paused".equals(detail.state()) ? SandboxInfo.State.PAUSED : SandboxInfo.State.RUNNING;
        return new SandboxInfo(detail.sandboxID(), detail.templateID(), state, detail.startedAt(), detail.endAt(), detail.metadata());
    }

    /** Runs a call under a guard; what the guard itself throws becomes SandboxUnavailableException. */
    @SuppressWarnings("unchecked")
    private static <T> T guarded(Guard guard, String operation, Supplier<T> call) {
        try {
            return (T) guard.get(call::get, Object.class);
        } catch (CircuitBreakerOpenException e) {
            throw new SandboxUnavailableException("E2B " + operation + ": failing fast, the circuit is open after repeated failures", e);
        } catch (TimeoutException e) {
            throw new SandboxUnavailableException("E2B " + operation + ": no answer in time", e);
        } catch (FaultToleranceException e) {
            throw new SandboxUnavailableException("E2B " + operation + ": " + e.getMessage(), e);
        }
    }

    /** A control-plane call; when E2B rejects the API key, the key is read again (it may have been rotated) and the call made once more. */
    private <T> T control(Supplier<T> call, String operation) {
        Secret key = apiKey.current();
        try {
            return translated(call, operation);
        } catch (SandboxUnauthorizedException rejected) {
            if (!apiKey.renewAfterRejection(key)) {
                throw rejected;
            }
            return translated(call, operation);
        }
    }

    /** A connection that failed or broke is E2B being unavailable. */
    private static <T> T translated(Supplier<T> call, String operation) {
        try {
            return call.get();
        } catch (ProcessingException e) {
            if (e.getCause() instanceof IOException io) {
                throw E2bErrors.fromIo(io, "E2B " + operation);
            }
            throw new SandboxUnavailableException("E2B " + operation + ": " + e.getMessage(), e);
        }
    }
}
