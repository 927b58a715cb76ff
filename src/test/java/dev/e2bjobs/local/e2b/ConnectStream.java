package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.e2b.ConnectEnvelope;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The response side of a Connect server stream: HTTP 200 with application/connect+json, one
 * envelope per message, flushed at once, and always a closing end-stream envelope ({} or an error).
 */
final class ConnectStream implements AutoCloseable {
    static final String CONTENT_TYPE = "application/connect+json";
    /** envd's keepalive interval when the client sends no Keepalive-Ping-Interval. */
    private static final long DEFAULT_KEEPALIVE_SECONDS = 90;
    private final Exchange exchange;
    private final OutputStream out;
    private boolean ended;
    private boolean dropped;

    ConnectStream(Exchange exchange) throws IOException {
        this.exchange = exchange;
        exchange.setHeader("Content-Type", CONTENT_TYPE);
        exchange.http.sendResponseHeaders(200, 0);
        this.out = exchange.http.getResponseBody();
    }

    void send(JsonNode message) throws IOException {
        write(ConnectEnvelope.message(Json.text(message)));
    }

    void end() throws IOException {
        write(ConnectEnvelope.endStream("{}"));
        ended = true;
    }

    void end(RpcError error) throws IOException {
        ObjectNode trailer = Json.object();
        trailer.set("error", error.body());
        write(ConnectEnvelope.endStream(Json.text(trailer)));
        ended = true;
    }

    /** The connection is to be dropped without an end-stream envelope (see ConnectionDropped). */
    void drop() {
        dropped = true;
    }

    private void write(ConnectEnvelope envelope) throws IOException {
        out.write(envelope.encode());
        out.flush();
    }

    /** When a stream must end, from its Connect-Timeout-Ms header; null for never. */
    static Instant deadline(String connectTimeoutMs) {
        if (connectTimeoutMs == null || connectTimeoutMs.isEmpty()) {
            return null;
        }
        try {
            long millis = Long.parseLong(connectTimeoutMs.trim());
            if (millis <= 0) {
                throw new NumberFormatException();
            }
            return Instant.now().plusMillis(millis);
        } catch (NumberFormatException e) {
            throw new RpcError("invalid_argument", "invalid Connect-Timeout-Ms: " + connectTimeoutMs);
        }
    }

    /** How long a stream may stay silent before a keepalive, from its Keepalive-Ping-Interval header (seconds). */
    static long keepaliveMillis(String keepalivePingInterval) {
        try {
            long seconds = keepalivePingInterval == null ? DEFAULT_KEEPALIVE_SECONDS : Long.parseLong(keepalivePingInterval.trim());
            return TimeUnit.SECONDS.toMillis(seconds > 0 ? seconds : DEFAULT_KEEPALIVE_SECONDS);
        } catch (NumberFormatException e) {
            return TimeUnit.SECONDS.toMillis(DEFAULT_KEEPALIVE_SECONDS);
        }
    }

    @Override
    public void close() {
        if (dropped) {
            return;
        }
        try {
            if (!ended) {
                end(new RpcError("internal", "stream ended unexpectedly"));
            }
            out.close();
        } catch (IOException e) {
            // the client has gone; nothing is owed to it
        } finally {
            exchange.http.close();
        }
    }
}
