package dev.e2bjobs.local.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executors;

/** What the stack's HTTP servers share: loopback only, a thread per request, bounded bodies. */
final class LocalHttp {
    private LocalHttp() {
    }

    /** A started server on 127.0.0.1 (port 0: a free one); a thread per request, since handlers block on functions. */
    static HttpServer serve(int port, String threadName, HttpHandler handler) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        http.setExecutor(Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        }));
        http.createContext("/", handler);
        http.start();
        return http;
    }

    /**
     * The request body if it has at most {@code limit} bytes. A longer one is read to its end and
     * dropped, so that the client, still sending, gets to read our refusal.
     */
    static Optional<byte[]> body(HttpExchange exchange, int limit) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] body = in.readNBytes(limit + 1);
        if (body.length <= limit) {
            return Optional.of(body);
        }
        in.transferTo(OutputStream.nullOutputStream());
        return Optional.empty();
    }

    static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
