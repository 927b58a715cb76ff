package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import dev.e2bjobs.e2b.ConnectEnvelope;
import dev.e2bjobs.local.e2b.Isolation.SandboxUser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The sandbox data plane: what E2B's proxy routes to envd (port 49983) inside a sandbox. Requests
 * name their sandbox with E2b-Sandbox-Id / E2b-Sandbox-Port; unknown or stopped sandboxes get the
 * proxy's 502, and every route but /health and /files needs the sandbox's access token.
 */
final class Envd {
    static final int ENVD_PORT = 49983;
    private static final String PROCESS_PREFIX = "/process.Process/";
    private static final String FILESYSTEM_PREFIX = "/filesystem.Filesystem/";
    /** envd routes the local server lacks: 501, not the 404 of a path envd does not have. */
    private static final java.util.Set<String> NOT_IMPLEMENTED = java.util.Set.of("/metrics", "/init", "/files/compose");

    private final Sandboxes sandboxes;
    private final FilesApi files = new FilesApi();
    private final ProcessRpc processes;
    private final WatchRpc watches;
    private final FilesystemRpc filesystem;
    private final PortForwarding ports = new PortForwarding();

    Envd(Sandboxes sandboxes) {
        this.sandboxes = sandboxes;
        this.processes = new ProcessRpc(sandboxes);
        this.watches = new WatchRpc(sandboxes.scheduler);
        this.filesystem = new FilesystemRpc(watches);
    }

    /** Which fault-injection family a data-plane request belongs to, or null for none (health, forwarded ports). */
    static RouteFamily family(String path, int port) {
        if (port != ENVD_PORT) {
            return null;
        }
        if (path.equals("/files")) {
            return RouteFamily.FILES;
        }
        if (path.startsWith(PROCESS_PREFIX) || path.startsWith(FILESYSTEM_PREFIX)) {
            return RouteFamily.RPC;
        }
        return null;
    }

    /**
     * The sandbox a signed /files URL was made for. E2B's URL names it in the host; one built on
     * E2B_SANDBOX_URL names none, so the signature has to: it is made from the sandbox's access token.
     */
    String signedFor(Exchange ex) {
        return FileSignature.signer(ex, sandboxes.all()).map(sandbox -> sandbox.id)
                .orElseThrow(() -> HttpError.of(401, "invalid signature"));
    }

    /** Whether a data-plane path is a server-streaming call (its answer cannot be withheld after the fact). */
    static boolean isStream(String path) {
        return path.equals(PROCESS_PREFIX + "Start") || path.equals(PROCESS_PREFIX + "Connect")
                || path.equals(FILESYSTEM_PREFIX + "WatchDir");
    }

    void handle(Exchange ex, String sandboxId, int port) throws IOException {
        Sandbox sandbox = sandboxes.get(sandboxId).filter(Sandbox::isRunning)
                .orElseThrow(() -> HttpError.sandboxNotFound(sandboxId));
        if (port != ENVD_PORT) {
            ports.forward(ex, sandbox, port);
            return;
        }
        if (ex.path.equals("/health")) {
            ex.setHeader("Cache-Control", "no-store");
            ex.sendEmpty(204);
            return;
        }
        if (ex.path.equals("/files")) {
            files.handle(ex, sandbox);
            return;
        }
        requireToken(ex, sandbox);
        if (ex.path.equals("/envs") && ex.method.equals("GET")) {
            ex.sendJson(200, Json.MAPPER.valueToTree(sandbox.envVars));
        } else if (ex.path.startsWith(PROCESS_PREFIX) || ex.path.startsWith(FILESYSTEM_PREFIX)) {
            rpc(ex, sandbox);
        } else if (NOT_IMPLEMENTED.contains(ex.path)) {
            throw HttpError.of(501, ex.method + " " + ex.path + " is not implemented by the local E2B server");
        } else {
            throw HttpError.of(404, "not found: " + ex.method + " " + ex.path);
        }
    }

    private static void requireToken(Exchange ex, Sandbox sandbox) {
        if (sandbox.accessToken != null && !sandbox.accessToken.equals(ex.header("X-Access-Token"))) {
            throw HttpError.of(401, "unauthorized access, please provide a valid access token or method signing if supported");
        }
    }

    private void rpc(Exchange ex, Sandbox sandbox) throws IOException {
        boolean processService = ex.path.startsWith(PROCESS_PREFIX);
        String method = ex.path.substring((processService ? PROCESS_PREFIX : FILESYSTEM_PREFIX).length());
        String contentType = ex.header("Content-Type") == null ? "" : ex.header("Content-Type").toLowerCase(Locale.ROOT);
        if (!ex.method.equals("POST")) {
            throw HttpError.of(405, "Connect RPC needs POST");
        }
        if (!isStream(ex.path) && contentType.startsWith(ConnectStream.CONTENT_TYPE)) {
            // a client-streaming method (StreamInput) or one envd does not have: Connect's answer, not HTTP 415
            try (ConnectStream stream = new ConnectStream(ex)) {
                stream.end(new RpcError("unimplemented", ex.path.substring(1) + " is not supported by the local E2B server"));
            }
            return;
        }
        if (isStream(ex.path)) {
            if (!contentType.startsWith(ConnectStream.CONTENT_TYPE)) {
                throw HttpError.of(415, "streaming calls need " + ConnectStream.CONTENT_TYPE);
            }
            JsonNode request;
            SandboxUser user;
            try {
                request = streamRequest(ex);
                user = user(ex);
            } catch (RpcError e) {
                try (ConnectStream stream = new ConnectStream(ex)) {
                    stream.end(e);
                }
                return;
            }
            if (processService) {
                processes.stream(method, request, sandbox, user, ex);
            } else {
                watches.stream(request, sandbox, user, ex);
            }
            return;
        }
        if (!contentType.startsWith("application/json")) {
            throw HttpError.of(415, "unary calls need application/json");
        }
        try {
            JsonNode request = parse(ex.body());
            SandboxUser user = user(ex);
            JsonNode response = processService ? processes.call(method, request, sandbox)
                    : filesystem.call(method, request, sandbox, user);
            ex.sendJson(200, response);
        } catch (RpcError e) {
            ex.sendJson(e.httpStatus(), e.body());
        }
    }

    private static JsonNode streamRequest(Exchange ex) throws IOException {
        ConnectEnvelope envelope = ConnectEnvelope.read(new ByteArrayInputStream(ex.body()));
        if (envelope == null || envelope.isEndStream() || (envelope.flags() & ConnectEnvelope.FLAG_COMPRESSED) != 0) {
            throw new RpcError("invalid_argument", "expected one uncompressed request envelope");
        }
        return parse(envelope.payload());
    }

    private static JsonNode parse(byte[] json) {
        try {
            return Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new RpcError("invalid_argument", "malformed request: " + e.getMessage());
        }
    }

    /** The user named by {@code Authorization: Basic base64(user:)}; "user" when absent. */
    private static SandboxUser user(Exchange ex) {
        String header = ex.header("Authorization");
        if (header == null || !header.startsWith("Basic ")) {
            return SandboxUser.USER;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RpcError("unauthenticated", "malformed Authorization header");
        }
        String name = decoded.contains(":") ? decoded.substring(0, decoded.indexOf(':')) : decoded;
        SandboxUser user = SandboxUser.named(name);
        if (user == null) {
            throw new RpcError("unauthenticated", "invalid username: '" + name + "'");
        }
        return user;
    }
}
