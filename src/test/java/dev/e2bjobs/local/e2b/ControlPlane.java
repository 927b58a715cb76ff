package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** E2B's control-plane REST API (api.e2b.app) for sandboxes: create, inspect, list, extend, pause, kill, snapshot. */
final class ControlPlane {
    private static final Pattern SANDBOX_ROUTE = Pattern.compile("^/(v2/)?sandboxes/([^/]+)(?:/([a-z]+))?$");
    private static final Pattern API_KEY = Pattern.compile("^e2b_[0-9a-f]+$");
    /** On the raw path: a snapshot id may hold an encoded slash (local/name:default). */
    private static final Pattern TEMPLATE_ROUTE = Pattern.compile("^/templates/([^/]+)$");
    /** envd version the SDKs gate features on; 0.6.13 is what E2B runs today. */
    static final String ENVD_VERSION = "0.6.13";
    /** Deprecated field the SDKs ignore; E2B sends this constant for listed sandboxes. */
    private static final String CLIENT_ID = "6532622b";
    private static final int V1_DEFAULT_TIMEOUT = 15;
    private static final int V2_DEFAULT_TIMEOUT = 300;
    private static final int MAX_PAGE = 100;

    private final Sandboxes sandboxes;
    private final Snapshots snapshots;
    private final int maxTimeoutSeconds;
    private final CreateRequests createRequests = new CreateRequests();
    /** The only key accepted, or null for any well-formed one; tests rotate it while the server runs. */
    private volatile String apiKey;

    ControlPlane(Sandboxes sandboxes, Snapshots snapshots, int maxTimeoutSeconds, String apiKey) {
        this.sandboxes = sandboxes;
        this.snapshots = snapshots;
        this.maxTimeoutSeconds = maxTimeoutSeconds;
        this.apiKey = apiKey;
    }

    /** From now on only this key is accepted, as if the server had been started with it. */
    void setApiKey(String key) {
        if (key == null || !API_KEY.matcher(key).matches()) {
            throw HttpError.of(400, "apiKey must be e2b_ followed by hex digits");
        }
        apiKey = key;
    }

    CreateRequests createRequests() {
        return createRequests;
    }

    void handle(Exchange ex) throws IOException {
        if (ex.path.equals("/health") && ex.method.equals("GET")) {
            ex.send(200, "text/plain; charset=utf-8", "Health check successful".getBytes(StandardCharsets.UTF_8));
            return;
        }
        authenticate(ex);
        String route = ex.method + " " + ex.path;
        switch (route) {
            case "POST /sandboxes" -> create(ex, false);
            case "POST /v2/sandboxes" -> create(ex, true);
            case "GET /v2/sandboxes" -> list(ex, true);
            case "GET /sandboxes" -> list(ex, false);
            case "GET /sandboxes/metrics" -> metricsOfMany(ex);
            case "GET /snapshots" -> listSnapshots(ex);
            default -> {
                if (ex.path.startsWith("/templates")) {
                    templateRoute(ex);
                } else {
                    sandboxRoute(ex);
                }
            }
        }
    }

    /** Of E2B's template routes only the deletion is served: it is how the SDK deletes a snapshot. */
    private void templateRoute(Exchange ex) throws IOException {
        Matcher m = TEMPLATE_ROUTE.matcher(ex.http.getRequestURI().getRawPath());
        if (!ex.method.equals("DELETE") || !m.matches()) {
            throw notImplemented(ex);
        }
        TemplateRef template = templateRef(Exchange.decode(m.group(1)), "Invalid template ID: ");
        if (!snapshots.delete(template)) {
            throw templateNotFound(template);
        }
        ex.sendEmpty(204);
    }

    private void sandboxRoute(Exchange ex) throws IOException {
        Matcher m = SANDBOX_ROUTE.matcher(ex.path);
        if (!m.matches()) {
            throw HttpError.of(404, "Not found: " + ex.method + " " + ex.path);
        }
        boolean v2 = m.group(1) != null;
        String id = m.group(2);
        String action = m.group(3) == null ? "" : m.group(3);
        String route = ex.method + " " + (v2 ? "v2/" : "") + action;
        switch (route) {
            case "GET " -> ex.sendJson(200, detail(existing(id)));
            case "DELETE " -> {
                if (!sandboxes.kill(id)) {
                    throw notFound(id);
                }
                ex.sendEmpty(204);
            }
            case "POST timeout" -> setTimeout(ex, existing(id));
            case "POST refreshes" -> refresh(ex, existing(id));
            case "POST pause" -> pause(ex, existing(id));
            case "PUT network" -> {
                sandboxes.changeEgress(existing(id), EgressRules.ofUpdate(ex.json()));
                ex.sendEmpty(204);
            }
            case "POST connect" -> connect(ex, existing(id), false);
            case "POST v2/connect" -> connect(ex, existing(id), true);
            case "POST fork" -> fork(ex, existing(id));
            case "GET metrics" -> ex.sendJson(200, Json.MAPPER.createArrayNode().add(SandboxMetrics.measure(running(id))));
            case "POST snapshots" -> takeSnapshot(ex, id);
            case "POST resume", "GET logs", "GET v2/logs" -> throw notImplemented(ex);
            default -> throw HttpError.of(404, "Not found: " + ex.method + " " + ex.path);
        }
    }

    private void authenticate(Exchange ex) {
        String key = ex.header("X-API-Key");
        String bearer = ex.header("Authorization");
        String pinned = apiKey;
        boolean valid = key != null ? API_KEY.matcher(key).matches() && (pinned == null || pinned.equals(key))
                : bearer != null && bearer.startsWith("Bearer ") && pinned == null;
        if (!valid) {
            throw HttpError.of(401, "Invalid API key, it must start with 'e2b_' and be the key this server was given");
        }
    }

    /** E2B has this endpoint, the local server does not: 501, not the 404 of an unknown path. */
    private static HttpError notImplemented(Exchange ex) {
        return HttpError.of(501, ex.method + " " + ex.path + " is not implemented by the local E2B server");
    }

    /** Fork answers 201 with one entry per requested fork: the new sandbox, or why it could not start. */
    private void fork(Exchange ex, Sandbox source) throws IOException {
        JsonNode body = ex.body().length == 0 ? Json.object() : ex.json();
        int count = body.path("count").asInt(1);
        if (count < 1 || count > 100) {
            throw HttpError.of(400, "count must be between 1 and 100");
        }
        int timeout = timeoutSeconds(body.get("timeout"), V2_DEFAULT_TIMEOUT);
        ArrayNode results = Json.MAPPER.createArrayNode();
        for (int i = 0; i < count; i++) {
            try {
                results.addObject().set("sandbox", sandboxResponse(sandboxes.fork(source, timeout)));
            } catch (HttpError e) {
                results.addObject().set("error", e.body);
            }
        }
        ex.sendJson(201, results);
    }

    /** Metrics of several sandboxes; ids that are unknown or not running are left out, as E2B does. */
    private void metricsOfMany(Exchange ex) throws IOException {
        String ids = ex.query("sandbox_ids");
        List<String> requested = ids == null || ids.isBlank() ? List.of() : List.of(ids.split(","));
        if (requested.size() > 100) {
            throw HttpError.of(400, "at most 100 sandbox_ids");
        }
        ObjectNode response = Json.object();
        ObjectNode bySandbox = response.putObject("sandboxes");
        requested.stream().map(String::trim).map(sandboxes::get).flatMap(java.util.Optional::stream).filter(Sandbox::isRunning)
                .forEach(s -> bySandbox.set(s.id, SandboxMetrics.measure(s)));
        ex.sendJson(200, response);
    }

    private Sandbox running(String id) {
        Sandbox sandbox = existing(id);
        if (!sandbox.isRunning()) {
            throw HttpError.of(409, "sandbox '" + id + "' is paused");
        }
        return sandbox;
    }

    private Sandbox existing(String id) {
        return sandboxes.get(id).orElseThrow(() -> notFound(id));
    }

    private static HttpError notFound(String id) {
        return HttpError.of(404, "Sandbox \"" + id + "\" doesn't exist or you don't have access to it");
    }

    private static HttpError templateNotFound(TemplateRef template) {
        return HttpError.of(404, "template '" + template.identifier() + "' not found");
    }

    /** A template reference as E2B parses it; a malformed one is a 400 whose message starts with {@code prefix}. */
    private static TemplateRef templateRef(String value, String prefix) {
        try {
            return TemplateRef.parse(value);
        } catch (IllegalArgumentException e) {
            throw HttpError.of(400, prefix + e.getMessage());
        }
    }

    /** The name is checked before the sandbox, as E2B does; a snapshot without a name is known by its id alone. */
    private void takeSnapshot(Exchange ex, String sandboxId) throws IOException {
        JsonNode name = ex.json().get("name");
        TemplateRef ref = name == null || name.isNull() ? null : requireLocalTeam(templateRef(name.asText(), "Invalid name: "));
        ex.sendJson(201, snapshotInfo(snapshots.take(existing(sandboxId), ref)));
    }

    private static TemplateRef requireLocalTeam(TemplateRef name) {
        if (name.namespace() != null && !name.namespace().equals(Snapshots.TEAM)) {
            throw HttpError.of(400, "namespace '" + name.namespace() + "' must match your team '" + Snapshots.TEAM + "'");
        }
        return name;
    }

    /** Newest first, as E2B lists them; a name without a tag matches every tag of that name. */
    private void listSnapshots(Exchange ex) throws IOException {
        String sandboxId = ex.query("sandboxID");
        String name = ex.query("name");
        List<Snapshots.Snapshot> matching = (name == null ? snapshots.all() : snapshots.named(requireLocalTeam(templateRef(name, "Invalid name: "))))
                .stream()
                .filter(s -> sandboxId == null || sandboxId.equals(s.sandboxId()))
                .sorted(NEWEST_SNAPSHOT_FIRST)
                .toList();
        ArrayNode items = Json.MAPPER.createArrayNode();
        page(ex, matching, ControlPlane::position, false).forEach(s -> items.add(snapshotInfo(s)));
        ex.sendJson(200, items);
    }

    private static ObjectNode snapshotInfo(Snapshots.Snapshot snapshot) {
        ObjectNode info = Json.object().put("snapshotID", snapshot.snapshotId());
        snapshot.names().forEach(info.putArray("names")::add);
        return info;
    }

    private void create(Exchange ex, boolean v2) throws IOException {
        JsonNode body = ex.json();
        createRequests.add(body);
        String template = body.path("templateID").asText("");
        if (template.isBlank()) {
            throw HttpError.of(400, "Error when parsing request: templateID is required");
        }
        int timeout = timeoutSeconds(body.get("timeout"), v2 ? V2_DEFAULT_TIMEOUT : V1_DEFAULT_TIMEOUT);
        boolean secure = v2 || body.path("secure").asBoolean(false);
        Optional<Snapshots.Snapshot> snapshot = startingSnapshot(template);
        Sandboxes.Spec spec = new Sandboxes.Spec(snapshot.map(Snapshots.Snapshot::templateId).orElse(template), timeout,
                stringMap(body.get("metadata"), "metadata"), stringMap(body.get("envVars"), "envVars"), secure, EgressRules.of(body),
                body.path("autoPause").asBoolean(false), snapshot.map(snapshots::files).orElse(null));
        ex.sendJson(201, sandboxResponse(sandboxes.create(spec)));
    }

    /**
     * The snapshot a create's templateID names (by id or name); any other template starts the base
     * environment, unless only a snapshot could be meant (a deleted one's, or the local team's
     * namespace): then E2B's 404 for an unknown template.
     */
    private Optional<Snapshots.Snapshot> startingSnapshot(String templateId) {
        TemplateRef template;
        try {
            template = TemplateRef.parse(templateId);
        } catch (IllegalArgumentException notAReference) {
            return Optional.empty();
        }
        Optional<Snapshots.Snapshot> snapshot = snapshots.find(template);
        if (snapshot.isEmpty() && snapshots.claims(template)) {
            throw templateNotFound(template);
        }
        return snapshot;
    }

    private int timeoutSeconds(JsonNode value, int defaultSeconds) {
        if (value == null || value.isNull()) {
            return defaultSeconds;
        }
        if (!value.canConvertToInt()) {
            throw HttpError.of(400, "Error when parsing request: timeout must be an integer number of seconds");
        }
        int timeout = value.asInt();
        if (timeout <= 0) {
            throw HttpError.of(400, "Timeout must be greater than 0");
        }
        if (timeout > maxTimeoutSeconds) {
            throw HttpError.of(400, "Timeout cannot be greater than " + maxTimeoutDescription());
        }
        return timeout;
    }

    private String maxTimeoutDescription() {
        return maxTimeoutSeconds % 3600 == 0 ? (maxTimeoutSeconds / 3600) + " hours" : maxTimeoutSeconds + " seconds";
    }

    private static Map<String, String> stringMap(JsonNode node, String field) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw HttpError.of(400, "Error when parsing request: " + field + " must be an object of strings");
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw HttpError.of(400, "Error when parsing request: " + field + "." + e.getKey() + " must be a string");
            }
            map.put(e.getKey(), e.getValue().asText());
        });
        return map;
    }

    private void setTimeout(Exchange ex, Sandbox sandbox) throws IOException {
        JsonNode timeoutField = ex.json().get("timeout");
        if (timeoutField == null || !timeoutField.canConvertToInt()) {
            throw HttpError.of(400, "Error when parsing request: timeout is required");
        }
        int timeout = timeoutField.asInt();
        if (timeout <= 0) {
            throw HttpError.of(400, "Timeout must be greater than 0");
        }
        if (!sandbox.isRunning()) {
            throw HttpError.of(409, "Sandbox \"" + sandbox.id + "\" is not running");
        }
        Instant now = Instant.now();
        Instant latest = sandbox.startedAt().plusSeconds(maxTimeoutSeconds);
        if (!now.isBefore(latest)) {
            throw HttpError.of(400, "Max instance length exceeded");
        }
        Instant wanted = now.plusSeconds(timeout);
        sandbox.setEndAt(wanted.isAfter(latest) ? latest : wanted);
        ex.sendEmpty(204);
    }

    /** Refreshes only ever extend the lifetime, by at least 15 s (as E2B's keep-alive does). */
    private void refresh(Exchange ex, Sandbox sandbox) throws IOException {
        int duration = Math.max(15, Math.min(3600, ex.json().path("duration").asInt(15)));
        extend(sandbox, duration);
        ex.sendEmpty(204);
    }

    private void pause(Exchange ex, Sandbox sandbox) throws IOException {
        if (!sandbox.isRunning()) {
            throw HttpError.of(409, "Error pausing sandbox - sandbox '" + sandbox.id + "' is already paused");
        }
        JsonNode keepMemory = (ex.body().length == 0 ? Json.object() : ex.json()).path("memory");
        sandbox.pause(!keepMemory.isBoolean() || keepMemory.asBoolean());
        ex.sendEmpty(204);
    }

    /** Connect extends a running sandbox (200) or resumes a paused one (201); it never shortens. */
    private void connect(Exchange ex, Sandbox sandbox, boolean v2) throws IOException {
        JsonNode body = ex.json();
        if (!v2 && !body.has("timeout")) {
            throw HttpError.of(400, "Error when parsing request: timeout is required");
        }
        int timeout = timeoutSeconds(body.get("timeout"), V2_DEFAULT_TIMEOUT);
        if (sandbox.isRunning()) {
            extend(sandbox, timeout);
            ex.sendJson(200, sandboxResponse(sandbox));
        } else {
            sandboxes.resume(sandbox, timeout);
            ex.sendJson(201, sandboxResponse(sandbox));
        }
    }

    private static void extend(Sandbox sandbox, int seconds) {
        synchronized (sandbox) {
            Instant wanted = Instant.now().plusSeconds(seconds);
            if (wanted.isAfter(sandbox.endAt())) {
                sandbox.setEndAt(wanted);
            }
        }
    }

    private void list(Exchange ex, boolean v2) throws IOException {
        Set<Sandbox.State> states = v2 ? states(ex.query("state")) : EnumSet.of(Sandbox.State.RUNNING);
        Map<String, String> metadata = metadataFilter(ex.query("metadata"));
        String template = ex.query("template");
        boolean ascending = "asc".equals(ex.query("order"));
        if (ex.query("order") != null && !List.of("asc", "desc").contains(ex.query("order"))) {
            throw HttpError.of(400, "Invalid order: " + ex.query("order"));
        }
        Instant startedAfter = instantParam(ex.query("startedAfter"));
        List<Sandbox> matching = sandboxes.all().stream()
                .filter(s -> states.contains(s.state()))
                .filter(s -> metadata.entrySet().stream().allMatch(e -> e.getValue().equals(s.metadata.get(e.getKey()))))
                .filter(s -> template == null || template.equals(s.templateId))
                .filter(s -> startedAfter == null || !s.startedAt().isBefore(startedAfter))
                .sorted(ascending ? ORDER : ORDER.reversed())
                .toList();
        if (!v2) {
            ArrayNode all = Json.MAPPER.createArrayNode();
            matching.forEach(s -> all.add(detail(s)));
            ex.sendJson(200, all);
            return;
        }
        if (states.contains(Sandbox.State.RUNNING)) {
            ex.setHeader("X-Total-Running", String.valueOf(matching.stream().filter(Sandbox::isRunning).count()));
        }
        ArrayNode items = Json.MAPPER.createArrayNode();
        page(ex, matching, ControlPlane::position, ascending).forEach(s -> items.add(detail(s)));
        ex.sendJson(200, items);
    }

    /**
     * The page of a sorted listing that {@code limit} and {@code nextToken} ask for; when more follow,
     * the X-Next-Token header names the last item of this page.
     */
    private static <T> List<T> page(Exchange ex, List<T> sorted, Function<T, Cursor> position, boolean ascending) {
        int limit = limit(ex.query("limit"));
        Cursor after = Cursor.decode(ex.query("nextToken"), ascending);
        List<T> page = sorted.stream()
                .filter(item -> after == null || after.precedes(position.apply(item), ascending))
                .limit(limit + 1L)
                .toList();
        if (page.size() > limit) {
            ex.setHeader("X-Next-Token", position.apply(page.get(limit - 1)).encode(ascending));
        }
        return page.subList(0, Math.min(limit, page.size()));
    }

    /** Listing order: start time, ties broken by id (as E2B does). */
    private static final Comparator<Sandbox> ORDER = Comparator.comparing(ControlPlane::position);

    private static Cursor position(Sandbox s) {
        return new Cursor(s.startedAt(), s.id);
    }

    /** By creation time, ties broken by the snapshot's key (E2B: by its template id). */
    private static Cursor position(Snapshots.Snapshot s) {
        return new Cursor(s.createdAt(), s.key());
    }

    private static final Comparator<Snapshots.Snapshot> NEWEST_SNAPSHOT_FIRST =
            Comparator.comparing((Snapshots.Snapshot s) -> position(s)).reversed();

    /** A position in the listing order; encoded, it is the opaque next token. */
    private record Cursor(Instant time, String id) implements Comparable<Cursor> {
        private static final Comparator<Cursor> NATURAL = Comparator.comparing(Cursor::time).thenComparing(Cursor::id);

        @Override
        public int compareTo(Cursor other) {
            return NATURAL.compare(this, other);
        }

        String encode(boolean ascending) {
            String raw = Json.time(time) + "__" + id + (ascending ? "__asc" : "");
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String token, boolean ascending) {
            if (token == null || token.isEmpty()) {
                return null;
            }
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("__");
                boolean tokenAscending = parts.length == 3 && parts[2].equals("asc");
                if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !tokenAscending) || tokenAscending != ascending) {
                    throw HttpError.of(400, "Invalid next token");
                }
                return new Cursor(Instant.parse(parts[0]), parts[1]);
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw HttpError.of(400, "Invalid next token");
            }
        }

        boolean precedes(Cursor other, boolean ascending) {
            int c = other.compareTo(this);
            return ascending ? c > 0 : c < 0;
        }
    }

    private static Set<Sandbox.State> states(String csv) {
        if (csv == null || csv.isEmpty()) {
            return EnumSet.allOf(Sandbox.State.class);
        }
        Set<Sandbox.State> states = EnumSet.noneOf(Sandbox.State.class);
        for (String name : csv.split(",")) {
            switch (name.trim()) {
                case "running" -> states.add(Sandbox.State.RUNNING);
                case "paused" -> states.add(Sandbox.State.PAUSED);
                default -> throw HttpError.of(400, "Invalid state: " + name);
            }
        }
        return states;
    }

    /**
     * The SDK encodes each key and value, joins them as a query string, and that string is encoded
     * again as the {@code metadata} parameter. The framework decoded once; decode the whole string, then
     * each key and value (as E2B's parseFilters does).
     */
    static Map<String, String> metadataFilter(String param) {
        Map<String, String> filter = new LinkedHashMap<>();
        if (param == null || param.isEmpty()) {
            return filter;
        }
        try {
            String query = URLDecoder.decode(param, StandardCharsets.UTF_8);
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", -1);
                if (kv.length != 2) {
                    throw HttpError.of(400, "Invalid metadata filter: " + pair);
                }
                filter.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        } catch (IllegalArgumentException e) {
            throw HttpError.of(400, "Invalid metadata filter: " + e.getMessage());
        }
        return filter;
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return MAX_PAGE;
        }
        try {
            return Math.max(1, Math.min(MAX_PAGE, Integer.parseInt(value)));
        } catch (NumberFormatException e) {
            throw HttpError.of(400, "Invalid limit: " + value);
        }
    }

    private static Instant instantParam(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw HttpError.of(400, "Invalid startedAfter: " + value);
        }
    }

    private static ObjectNode sandboxResponse(Sandbox s) {
        ObjectNode node = Json.object()
                .put("sandboxID", s.id)
                .put("templateID", s.templateId)
                .put("clientID", CLIENT_ID)
                .put("envdVersion", ENVD_VERSION);
        if (s.accessToken != null) {
            node.put("envdAccessToken", s.accessToken);
        }
        node.putNull("trafficAccessToken");
        node.putNull("domain");
        return node;
    }

    private static ObjectNode detail(Sandbox s) {
        ObjectNode node = Json.object()
                .put("templateID", s.templateId)
                .put("sandboxID", s.id)
                .put("clientID", CLIENT_ID)
                .put("startedAt", Json.time(s.startedAt()))
                .put("endAt", Json.time(s.endAt()))
                .put("cpuCount", SandboxMetrics.CPU_COUNT)
                .put("memoryMB", SandboxMetrics.MEMORY_MB)
                .put("diskSizeMB", SandboxMetrics.DISK_SIZE_MB)
                .put("state", s.state().name().toLowerCase(java.util.Locale.ROOT))
                .put("envdVersion", ENVD_VERSION);
        if (s.accessToken != null) {
            node.put("envdAccessToken", s.accessToken);
        }
        node.put("allowInternetAccess", s.egress.allowInternetAccess());
        ObjectNode network = node.putObject("network");
        s.egress.allowOut().forEach(network.putArray("allowOut")::add);
        s.egress.denyOut().forEach(network.putArray("denyOut")::add);
        node.putNull("domain");
        ObjectNode metadata = node.putObject("metadata");
        s.metadata.forEach(metadata::put);
        node.putObject("lifecycle").put("autoResume", false).put("onTimeout", s.pauseOnTimeout ? "pause" : "kill");
        node.putArray("volumeMounts");
        return node;
    }
}
