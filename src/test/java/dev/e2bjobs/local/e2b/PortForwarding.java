package dev.e2bjobs.local.e2b;

import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * E2B's proxy for a sandbox port other than envd's: the request goes to that port inside the sandbox
 * as HTTP/1.1, bodies streamed both ways, and a port nothing listens on gets the proxy's 502.
 */
final class PortForwarding {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "content-length");
    private static final int CHUNK = 32 * 1024;

    void forward(Exchange ex, Sandbox sandbox, int port) throws IOException {
        if ("websocket".equalsIgnoreCase(ex.header("Upgrade"))) {
            throw HttpError.of(501, "WebSocket upgrades are not supported by the local E2B server's port forwarding");
        }
        Optional<SandboxPort> opened = sandbox.machine.openPort(port);
        if (opened.isEmpty()) {
            throw HttpError.portNotOpen(sandbox.id, port);
        }
        try (SandboxPort upstream = opened.get()) {
            sendRequest(ex.http, upstream.toPort());
            relayResponse(new BufferedInputStream(upstream.fromPort()), ex.http);
        }
    }

    /** The client's request, its body re-framed: by length when it had one, else chunked as it arrives. */
    private static void sendRequest(HttpExchange http, OutputStream upstream) throws IOException {
        StringBuilder head = new StringBuilder(http.getRequestMethod()).append(' ').append(http.getRequestURI().toString()).append(" HTTP/1.1\r\n");
        appendHeaders(head, http.getRequestHeaders());
        String length = http.getRequestHeaders().getFirst("Content-Length");
        boolean chunked = length == null && http.getRequestHeaders().containsKey("Transfer-Encoding");
        head.append(length != null ? "Content-Length: " + length + "\r\n" : chunked ? "Transfer-Encoding: chunked\r\n" : "");
        head.append("Connection: close\r\n\r\n");
        upstream.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        try (InputStream body = http.getRequestBody()) {
            copy(body, chunked ? new ChunkedOut(upstream) : upstream, chunked);
        }
        upstream.flush();
    }

    private static void relayResponse(InputStream upstream, HttpExchange http) throws IOException {
        String statusLine = line(upstream);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw HttpError.of(502, "the sandbox's port answered something other than HTTP: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>();
        for (String header = line(upstream); !header.isEmpty(); header = line(upstream)) {
            int colon = header.indexOf(':');
            headers.computeIfAbsent(header.substring(0, colon).trim(), k -> new java.util.ArrayList<>()).add(header.substring(colon + 1).trim());
        }
        headers.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                http.getResponseHeaders().put(name, values);
            }
        });
        relayBody(upstream, http, status, headers);
    }

    private static void relayBody(InputStream upstream, HttpExchange http, int status, Map<String, List<String>> headers)
            throws IOException {
        boolean bodiless = http.getRequestMethod().equals("HEAD") || status == 204 || status == 304 || status < 200;
        String length = first(headers, "Content-Length");
        if (bodiless || "0".equals(length)) {
            http.sendResponseHeaders(status, -1);
            return;
        }
        boolean chunked = "chunked".equalsIgnoreCase(first(headers, "Transfer-Encoding"));
        http.sendResponseHeaders(status, length != null && !chunked ? Long.parseLong(length) : 0);
        try (OutputStream out = http.getResponseBody()) {
            copy(chunked ? new ChunkedIn(upstream) : upstream, out, true);
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    private static void appendHeaders(StringBuilder head, Map<String, List<String>> headers) {
        headers.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.toLowerCase(Locale.ROOT).startsWith("e2b-sandbox-")) {
                values.forEach(value -> head.append(name).append(": ").append(value).append("\r\n"));
            }
        });
    }

    /** Copies to the end; with {@code flushEach}, every read goes out at once (event streams, long polls). */
    private static void copy(InputStream in, OutputStream out, boolean flushEach) throws IOException {
        byte[] buffer = new byte[CHUNK];
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
            if (flushEach) {
                out.flush();
            }
        }
        if (out instanceof ChunkedOut chunked) {
            chunked.finish();
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw HttpError.of(502, "the sandbox's port closed the connection before answering");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
    }

    /** Writes each write as one HTTP/1.1 chunk. */
    private static final class ChunkedOut extends OutputStream {
        private final OutputStream out;

        ChunkedOut(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes, offset, length);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        void finish() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** Reads the data of an HTTP/1.1 chunked body (trailers are dropped). */
    private static final class ChunkedIn extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        ChunkedIn(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (left == 0 && !nextChunk()) {
                return -1;
            }
            int n = in.read(bytes, offset, (int) Math.min(length, left));
            if (n < 0) {
                throw new IOException("the sandbox's port ended a chunked body early");
            }
            left -= n;
            if (left == 0) {
                line(in);
            }
            return n;
        }

        private boolean nextChunk() throws IOException {
            if (done) {
                return false;
            }
            String size = line(in);
            left = Long.parseLong(size.contains(";") ? size.substring(0, size.indexOf(';')).trim() : size.trim(), 16);
            if (left == 0) {
                done = true;
                for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                    // trailers are not forwarded
                }
            }
            return !done;
        }
    }
}
