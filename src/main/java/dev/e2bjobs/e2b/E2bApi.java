package dev.e2bjobs.e2b;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * E2B's control plane (https://api.e2b.app): sandbox create, get, list, kill, timeout and connect.
 * Errors arrive as {@link dev.e2bjobs.sandbox.SandboxException}s; I/O failures as ProcessingException.
 */
@RegisterRestClient(configKey = "e2b-api")
@RegisterProvider(E2bApiKeyFilter.class)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface E2bApi {

    /** Sandbox states as the list endpoint's {@code state} filter spells them. */
    String RUNNING_AND_PAUSED = "running,paused";
    /** The page size E2B clamps list requests to. */
    int MAX_PAGE = 100;
    /** The response header that carries the cursor of the next list page. */
    String NEXT_TOKEN = "X-Next-Token";

    @POST
    @Path("/v2/sandboxes")
    Sandbox create(NewSandbox sandbox);

    @GET
    @Path("/sandboxes/{sandboxID}")
    SandboxDetail get(@PathParam("sandboxID") String sandboxId);

    /**
     * One page of sandboxes. {@code metadata} must already be encoded with {@link #metadataQuery}:
     * E2B decodes that parameter three times.
     */
    @GET
    @Path("/v2/sandboxes")
    RestResponse<List<SandboxDetail>> list(@QueryParam("metadata") @Encoded String metadata,
            @QueryParam("state") String state, @QueryParam("limit") Integer limit,
            @QueryParam("nextToken") String nextToken);

    @DELETE
    @Path("/sandboxes/{sandboxID}")
    void kill(@PathParam("sandboxID") String sandboxId);

    /** Sets the sandbox to expire {@code timeout} seconds from now (shortens or extends). */
    @POST
    @Path("/sandboxes/{sandboxID}/timeout")
    void setTimeout(@PathParam("sandboxID") String sandboxId, SandboxTimeout timeout);

    /** Replaces the sandbox's outbound rules (what the body leaves out is cleared); processes opened after it are bound by them. */
    @PUT
    @Path("/sandboxes/{sandboxID}/network")
    void setNetwork(@PathParam("sandboxID") String sandboxId, NetworkUpdate update);

    /** Resumes a paused sandbox or extends a running one; answers with a fresh access token. */
    @POST
    @Path("/v2/sandboxes/{sandboxID}/connect")
    Sandbox connect(@PathParam("sandboxID") String sandboxId, SandboxTimeout timeout);

    /** Copies a sandbox's state into a snapshot (the sandbox pauses meanwhile); a create takes its id or name as templateID. */
    @POST
    @Path("/sandboxes/{sandboxID}/snapshots")
    SnapshotInfo snapshot(@PathParam("sandboxID") String sandboxId, NewSnapshot snapshot);

    /** Deletes a template, snapshots included, by id or name (every tag of it). */
    @DELETE
    @Path("/templates/{templateID}")
    void deleteTemplate(@PathParam("templateID") String templateId);

    @ClientExceptionMapper
    static RuntimeException toException(Response response, Method method) {
        return E2bErrors.fromHttp(response.getStatus(), response.readEntity(String.class),
                response.getHeaderString("Retry-After"), "E2B " + method.getName());
    }

    /**
     * The wire form of a metadata filter, as the official SDKs send it: each key and value
     * percent-encoded, joined as a form query, and that string percent-encoded again as the value.
     */
    static String metadataQuery(Map<String, String> metadata) {
        StringBuilder pairs = new StringBuilder();
        metadata.forEach((key, value) -> {
            if (pairs.length() > 0) {
                pairs.append('&');
            }
            pairs.append(Percent.encode(Percent.encode(key))).append('=').append(Percent.encode(Percent.encode(value)));
        });
        return Percent.encode(pairs.toString());
    }

    /** Body of POST /v2/sandboxes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record NewSandbox(String templateID, Integer timeout, Map<String, String> metadata, Map<String, String> envVars,
            @JsonProperty("allow_internet_access") Boolean allowInternetAccess, Network network, Boolean autoPause) {
    }

    /** Body of POST /sandboxes/{id}/snapshots: an optional name a create may use as templateID. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record NewSnapshot(String name) {
    }

    @RegisterForReflection
    record SnapshotInfo(String snapshotID, List<String> names) {
    }

    /** Body of PUT /sandboxes/{id}/network: the create fields, flat. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record NetworkUpdate(@JsonProperty("allow_internet_access") Boolean allowInternetAccess, List<String> allowOut,
            List<String> denyOut) {
    }

    /** Outbound rules: {@code allowOut} (IPs, CIDRs or host names) wins over {@code denyOut} (IPs or CIDRs). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @RegisterForReflection
    record Network(List<String> allowOut, List<String> denyOut) {
        /** Every IPv4 address: E2B's ALL_TRAFFIC. */
        static final String ALL_TRAFFIC = "0.0.0.0/0";
    }

    /** A created or connected sandbox. */
    @RegisterForReflection
    record Sandbox(String templateID, String sandboxID, String clientID, String envdVersion, String envdAccessToken,
            String domain) {
    }

    /** A sandbox as get and list describe it. */
    @RegisterForReflection
    record SandboxDetail(String templateID, String alias, String sandboxID, Instant startedAt, Instant endAt,
            String state, String envdVersion, Integer cpuCount, Integer memoryMB, Map<String, String> metadata) {
    }

    /** Body of the timeout and connect calls, in seconds. */
    @RegisterForReflection
    record SandboxTimeout(int timeout) {
    }
}
