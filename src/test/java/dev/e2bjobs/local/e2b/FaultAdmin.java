package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.local.e2b.FaultInjector.Fault;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fault injection, sandbox statistics, package-index reads, the create requests seen and the API key, over
 * HTTP, for clients in another process or class loader (Quarkus tests, scripts):
 * <pre>
 * PUT    /_local/faults/{control|files|rpc}  {"failRate":0.3,"failStatuses":[429,503],"latencyMs":50,
 *                                             "afterHandling":false,"times":0}
 * DELETE /_local/faults                     clears every fault
 * GET    /_local/requests                   {"control":n,"files":n,"rpc":n,"index":n} requests seen so far, and
 *                                           files of the package index opened ("index" missing when not counted)
 * GET    /_local/stats                      {"running":n,"peakRunning":n,"created":n} since start or reset
 * GET    /_local/created?metadataKey=K      {"value":n,...} sandboxes created per value of metadata K
 * GET    /_local/existing?metadataKey=K     {"value":n,...} sandboxes existing now (running or paused) per value of K
 * DELETE /_local/stats                      created counts to zero, peakRunning to what runs now
 * GET    /_local/create-requests            [{...},...] the last 100 create request bodies, newest last
 * PUT    /_local/api-key  {"apiKey":"e2b_..."}  only this key is accepted from now on
 * </pre>
 */
final class FaultAdmin {
    static final String PREFIX = "/_local/";
    private static final String FAULTS = PREFIX + "faults";
    private static final String STATS = PREFIX + "stats";

    private final FaultInjector faults;
    private final Sandboxes sandboxes;
    private final ControlPlane controlPlane;
    private final Optional<IndexReads> indexReads;

    FaultAdmin(FaultInjector faults, Sandboxes sandboxes, ControlPlane controlPlane, Optional<IndexReads> indexReads) {
        this.faults = faults;
        this.sandboxes = sandboxes;
        this.controlPlane = controlPlane;
        this.indexReads = indexReads;
    }

    void handle(Exchange ex) throws IOException {
        if (ex.path.equals(PREFIX + "create-requests") && ex.method.equals("GET")) {
            ex.sendJson(200, Json.MAPPER.valueToTree(controlPlane.createRequests().recent()));
        } else if (ex.path.equals(PREFIX + "api-key") && ex.method.equals("PUT")) {
            controlPlane.setApiKey(ex.json().path("apiKey").textValue());
            ex.sendEmpty(204);
        } else if (ex.path.equals(STATS) && ex.method.equals("GET")) {
            Sandboxes.Stats stats = sandboxes.stats();
            ex.sendJson(200, Json.object().put("running", stats.running()).put("peakRunning", stats.peakRunning())
                    .put("created", stats.created()));
        } else if (ex.path.equals(STATS) && ex.method.equals("DELETE")) {
            sandboxes.resetStats();
            ex.sendEmpty(204);
        } else if (ex.path.equals(PREFIX + "created") && ex.method.equals("GET")) {
            ex.sendJson(200, Json.MAPPER.valueToTree(sandboxes.createdPer(metadataKey(ex))));
        } else if (ex.path.equals(PREFIX + "existing") && ex.method.equals("GET")) {
            ex.sendJson(200, Json.MAPPER.valueToTree(sandboxes.existingPer(metadataKey(ex))));
        } else if (ex.path.equals(PREFIX + "requests") && ex.method.equals("GET")) {
            ObjectNode counts = Json.object();
            for (RouteFamily family : RouteFamily.values()) {
                counts.put(family.name().toLowerCase(java.util.Locale.ROOT), faults.requests(family));
            }
            indexReads.ifPresent(reads -> counts.put("index", reads.count()));
            ex.sendJson(200, counts);
        } else if (ex.path.equals(FAULTS) && ex.method.equals("DELETE")) {
            faults.clear();
            ex.sendEmpty(204);
        } else if (ex.path.startsWith(FAULTS + "/") && ex.method.equals("PUT")) {
            RouteFamily family;
            Fault fault;
            try {
                family = RouteFamily.parse(ex.path.substring(FAULTS.length() + 1));
                fault = fault(ex.json());
            } catch (IllegalArgumentException e) {
                throw HttpError.of(400, e.getMessage());
            }
            faults.set(family, fault);
            ex.sendEmpty(204);
        } else {
            throw HttpError.of(404, "not found: " + ex.method + " " + ex.path);
        }
    }

    private static String metadataKey(Exchange ex) {
        String key = ex.query("metadataKey");
        if (key == null || key.isEmpty()) {
            throw HttpError.of(400, "metadataKey is required");
        }
        return key;
    }

    private static Fault fault(JsonNode body) {
        List<Integer> statuses = new ArrayList<>();
        body.path("failStatuses").forEach(status -> statuses.add(status.asInt()));
        return new Fault(body.path("failRate").asDouble(0), statuses, body.path("latencyMs").asLong(0),
                body.path("afterHandling").asBoolean(false), body.path("times").asInt(0));
    }
}
