package dev.e2bjobs.environment;

import dev.e2bjobs.sandbox.Egress;
import dev.e2bjobs.sandbox.FileTail;
import dev.e2bjobs.sandbox.SandboxCommand;
import dev.e2bjobs.sandbox.SandboxException;
import dev.e2bjobs.sandbox.SandboxFile;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Dependencies installed once: the first job with a new environment key installs inline as ever,
 * while one builder sandbox per key (claimed in the store, however many launchers race) installs the
 * requirements, records {@code pip freeze} and is snapshotted; later jobs with the key start from the
 * snapshot. Jobs never wait for a build.
 */
public class EnvironmentCache {
    /** Metadata naming the environment a builder sandbox installs (the sweep leaves builders to the cache). */
    public static final String ENVIRONMENT_KEY = "e2bjobs.environment";
    static final String DIR = "/home/user/.e2bjobs-env";
    static final String STATUS = DIR + "/status";
    static final String FROZEN = DIR + "/frozen.txt";
    static final String SIZE = DIR + "/size";
    static final String LOG = DIR + "/install.log";
    private static final int LOG_TAIL_BYTES = 8 * 1024;

    /**
     * @param enabled     off: no environment is ever ready or built, every job installs inline
     * @param shared      environments are the deployment's, not each owner's
     * @param expireAfter an environment unused this long loses its snapshot
     * @param perScope    environments an owner (or the shared scope) may have at once
     * @param buildLease  how long a builder may take before another launcher builds the key again
     */
    public record Settings(boolean enabled, boolean shared, Duration expireAfter, int perScope, Duration buildLease, Duration firstBackoff,
            Duration maxBackoff, int installTimeoutSeconds, Map<String, String> builderMetadata) {
    }

    private final EnvironmentStore store;
    private final SandboxGateway sandboxes;
    private final Settings settings;
    private final Clock clock;

    public EnvironmentCache(EnvironmentStore store, SandboxGateway sandboxes, Settings settings, Clock clock) {
        this.store = store;
        this.sandboxes = sandboxes;
        this.settings = settings;
        this.clock = clock;
    }

    public EnvironmentKey keyOf(String owner, String template, List<String> requirements, Egress installEgress) {
        return EnvironmentKey.of(scopeOf(owner), template, requirements, installEgress);
    }

    /** The key's environment if it is ready, counted as used. */
    public Optional<Environment> readyFor(EnvironmentKey key) {
        if (!settings.enabled()) {
            return Optional.empty();
        }
        Optional<Environment> ready = store.find(key.id()).filter(e -> e.state() == Environment.State.READY);
        ready.ifPresent(environment -> store.recordUse(environment.id(), clock.instant()));
        return ready;
    }

    /** Starts the key's builder unless one is building, the environment is ready or failed recently, or the scope is full. */
    public void buildIfMissing(EnvironmentKey key) {
        if (!settings.enabled()) {
            return;
        }
        Instant now = clock.instant();
        Optional<Environment> current = store.find(key.id());
        if (current.map(e -> !e.buildableAgain(now)).orElseGet(() -> scopeIsFull(key.scope()))) {
            return;
        }
        Environment building = current.map(e -> e.rebuilding(now, settings.buildLease()))
                .orElseGet(() -> Environment.building(key, now, settings.buildLease()));
        if (store.replace(building, current.orElse(null))) {
            startBuilder(building);
        }
    }

    private boolean scopeIsFull(String scope) {
        return inScope(scope).size() >= settings.perScope();
    }

    private void startBuilder(Environment building) {
        createBuilder(building).ifPresent(this::install);
    }

    /** The builder sandbox, recorded; empty if E2B refused it (the build failed) or the environment was dropped meanwhile. */
    private Optional<Environment> createBuilder(Environment building) {
        EnvironmentKey key = building.key();
        try {
            Environment withBuilder = building.withBuilder(sandboxes.create(new SandboxSpec(building.id(), key.template(),
                    settings.buildLease(), Map.of(), builderMetadata(building), key.installEgress())));
            if (store.replace(withBuilder, building)) {
                return Optional.of(withBuilder);
            }
            sandboxes.kill(withBuilder.builder().sandboxId()); // dropped while its builder was being created
        } catch (SandboxException e) {
            fail(building, "creating the builder: " + e.getMessage());
        }
        return Optional.empty();
    }

    private void install(Environment withBuilder) {
        try {
            sandboxes.upload(withBuilder.builder(), List.of(new SandboxFile(DIR + "/requirements.txt",
                    (String.join("\n", withBuilder.key().requirements()) + "\n").getBytes(StandardCharsets.UTF_8))));
            sandboxes.startBackground(withBuilder.builder(), installCommand());
        } catch (SandboxException e) {
            fail(withBuilder, "starting the install: " + e.getMessage());
        }
    }

    private Map<String, String> builderMetadata(Environment building) {
        Map<String, String> metadata = new HashMap<>(settings.builderMetadata());
        metadata.put(ENVIRONMENT_KEY, building.id());
        return metadata;
    }

    /**
     * pip installs the requirements and the builder notes what that added: the new or changed {@code pip freeze}
     * lines and the growth of the site-packages directories. The status file comes last.
     */
    private SandboxCommand installCommand() {
        String script = """
                sites=$(python -c 'import site; print(" ".join(site.getsitepackages() + [site.getusersitepackages()]))')
                kib() { du -skc $sites 2>/dev/null | tail -1 | cut -f1; }
                python -m pip freeze --all > before.txt 2>/dev/null
                before=$(kib)
                timeout -k 5 %d python -m pip install --no-input --disable-pip-version-check -r requirements.txt > install.log 2>&1 < /dev/null
                status=$?
                if [ $status -eq 0 ]; then
                  python -m pip freeze --all | grep -vxFf before.txt > frozen.txt
                  echo $(( ($(kib) - before) * 1024 )) > size
                fi
                echo $status > status.tmp && mv status.tmp status
                """.formatted(settings.installTimeoutSeconds());
        return new SandboxCommand("/bin/bash", List.of("-c", script), Map.of(), DIR, "e2bjobs-environment");
    }

    /** Every environment of the deployment, for the sweep to pass to its steps. */
    public List<Environment> all() {
        return store.all();
    }

    /** Called by the sweep: builds whose builder finished become READY (snapshotted) or FAILED (log kept); how many did. */
    public int finishBuilds(List<Environment> environments) {
        return (int) environments.stream().filter(e -> e.state() == Environment.State.BUILDING && e.builder() != null)
                .filter(this::finished).count();
    }

    private boolean finished(Environment building) {
        try {
            Optional<byte[]> status = sandboxes.readFile(building.builder(), STATUS);
            if (status.isEmpty()) {
                return false; // still installing; an abandoned build is taken over once its lease is over
            }
            if (new String(status.get(), StandardCharsets.UTF_8).trim().equals("0")) {
                ready(building);
            } else {
                fail(building, logTail(building));
            }
        } catch (SandboxException e) {
            fail(building, "finishing the build: " + e.getMessage());
        }
        return true;
    }

    private void ready(Environment building) {
        String installed = text(building, FROZEN);
        String size = text(building, SIZE).trim();
        String snapshot = sandboxes.snapshot(building.builder(), building.id());
        sandboxes.kill(building.builder().sandboxId());
        if (!store.replace(building.ready(snapshot, installed, size.isEmpty() ? null : Long.valueOf(size), clock.instant()), building)) {
            sandboxes.deleteSnapshot(snapshot); // dropped, or taken over, while it was being snapshotted
        }
    }

    private String text(Environment building, String path) {
        return new String(sandboxes.readFile(building.builder(), path).orElse(new byte[0]), StandardCharsets.UTF_8);
    }

    private String logTail(Environment building) {
        return sandboxes.readFileTail(building.builder(), LOG, LOG_TAIL_BYTES)
                .map(FileTail::bytes).map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse("the install left no log");
    }

    private void fail(Environment building, String why) {
        if (building.builder() != null) {
            sandboxes.kill(building.builder().sandboxId());
        }
        store.replace(building.failed(why, clock.instant(), settings.firstBackoff(), settings.maxBackoff()), building); // not if dropped
    }

    /** A job could not be created from the environment's snapshot (E2B no longer has it): the next job builds it again. */
    public void vanished(Environment environment) {
        store.delete(environment.id());
    }

    /** Called by the sweep: environments unused for the expiry lose their snapshot, then their record; how many did. */
    public int expire(List<Environment> environments) {
        Instant cutoff = clock.instant().minus(settings.expireAfter());
        List<Environment> unused = environments.stream()
                .filter(e -> e.state() != Environment.State.BUILDING && e.lastUsedAt().isBefore(cutoff)).toList();
        unused.forEach(this::remove);
        return unused.size();
    }

    /** DELETE /environments/{id}: the owner's environment goes, with its snapshot or its builder; the next job builds it again. */
    public void drop(String owner, String environmentId) {
        remove(store.find(environmentId).filter(e -> e.key().scope().equals(scopeOf(owner)))
                .orElseThrow(() -> new EnvironmentNotFoundException(environmentId)));
    }

    /** Its builder killed, its snapshot deleted at E2B (by name: every copy a retried snapshot made), then its record. */
    private void remove(Environment environment) {
        if (environment.builder() != null) {
            sandboxes.kill(environment.builder().sandboxId());
        }
        if (environment.snapshotId() != null) {
            sandboxes.deleteSnapshot(environment.id());
        }
        store.delete(environment.id());
    }

    /** An owner's environments (the shared ones where environments are shared). */
    public List<Environment> of(String owner) {
        return inScope(scopeOf(owner));
    }

    /** Whose environments an owner's are: their own, or the deployment's where environments are shared. */
    private String scopeOf(String owner) {
        return settings.shared() ? EnvironmentKey.SHARED : owner;
    }

    private List<Environment> inScope(String scope) {
        return store.all().stream().filter(e -> e.key().scope().equals(scope)).toList();
    }
}
