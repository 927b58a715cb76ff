package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.local.e2b.Isolation.SandboxUser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** envd's GET/POST /files: download with Range, upload as multipart (full-path filenames) or octet-stream. */
final class FilesApi {
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

    void handle(Exchange ex, Sandbox sandbox) throws IOException {
        boolean write = ex.method.equals("POST");
        if (!write && !ex.method.equals("GET")) {
            throw HttpError.of(405, "method not allowed: " + ex.method);
        }
        FileSignature.check(ex, sandbox.accessToken);
        SandboxUser user = user(ex.query("username"));
        if (write) {
            upload(ex, sandbox, user);
        } else {
            download(ex, sandbox, user);
        }
    }

    private static SandboxUser user(String username) {
        if (username == null || username.isEmpty()) {
            return SandboxUser.USER;
        }
        SandboxUser user = SandboxUser.named(username);
        if (user == null) {
            throw HttpError.of(401, "error looking up user '" + username + "': unknown user");
        }
        return user;
    }

    private void download(Exchange ex, Sandbox sandbox, SandboxUser user) throws IOException {
        String path = SandboxFiles.protocolPath(ex.query("path"), user);
        Path host = sandbox.files.resolve(path);
        if (!Files.exists(host)) {
            throw HttpError.of(404, "path '" + path + "' does not exist");
        }
        if (Files.isDirectory(host)) {
            throw HttpError.of(400, "path '" + path + "' is a directory");
        }
        long size = Files.size(host);
        long start = 0;
        long end = size - 1;
        int status = 200;
        String range = ex.header("Range");
        if (range != null) {
            Matcher m = RANGE.matcher(range.trim());
            if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
                if (m.group(1).isEmpty()) {
                    start = Math.max(0, size - Long.parseLong(m.group(2)));
                } else {
                    start = Long.parseLong(m.group(1));
                    end = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
                }
                if (start >= size || start > end) {
                    ex.setHeader("Content-Range", "bytes */" + size);
                    throw HttpError.of(416, "invalid range: " + range);
                }
                status = 206;
                ex.setHeader("Content-Range", "bytes " + start + "-" + end + "/" + size);
            }
        }
        ex.setHeader("Accept-Ranges", "bytes");
        ex.setHeader("Content-Disposition", "inline; filename=\"" + host.getFileName() + "\"");
        ex.setHeader("Last-Modified", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(Files.getLastModifiedTime(host).toInstant().atZone(java.time.ZoneOffset.UTC)));
        ex.setHeader("Content-Type", "application/octet-stream");
        long length = size == 0 ? 0 : end - start + 1;
        ex.http.sendResponseHeaders(status, length == 0 ? -1 : length);
        if (length > 0) {
            try (RandomAccessFile file = new RandomAccessFile(host.toFile(), "r"); OutputStream out = ex.http.getResponseBody()) {
                file.seek(start);
                byte[] buffer = new byte[64 * 1024];
                long remaining = length;
                while (remaining > 0) {
                    int n = file.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                    if (n < 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    remaining -= n;
                }
            }
        }
        ex.http.close();
    }

    private void upload(Exchange ex, Sandbox sandbox, SandboxUser user) throws IOException {
        Map<String, String> metadata = FileMetadata.fromHeaders(ex.http.getRequestHeaders());
        byte[] body = ex.body();
        if ("gzip".equalsIgnoreCase(ex.header("Content-Encoding"))) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            } catch (IOException e) {
                throw HttpError.of(400, "invalid gzip body: " + e.getMessage());
            }
        }
        String contentType = ex.header("Content-Type") == null ? "" : ex.header("Content-Type");
        String pathParam = ex.query("path");
        Map<String, byte[]> files = new LinkedHashMap<>();
        String mediaType = contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.equals("multipart/form-data")) {
            String boundary = Multipart.boundary(contentType);
            if (boundary == null) {
                throw HttpError.of(400, "multipart upload without a boundary");
            }
            List<Multipart.Part> parts;
            try {
                parts = Multipart.parse(body, boundary);
            } catch (IllegalArgumentException e) {
                throw HttpError.of(400, "invalid multipart body: " + e.getMessage());
            }
            for (Multipart.Part part : parts) {
                if (!"file".equals(part.name())) {
                    continue;
                }
                String target = pathParam != null ? pathParam : part.filename();
                if (target == null || target.isEmpty()) {
                    throw HttpError.of(400, "a file part needs a filename or a path parameter");
                }
                String path = SandboxFiles.protocolPath(target, user);
                if (files.put(path, part.data()) != null) {
                    throw HttpError.of(400, "two parts resolve to the same path '" + path + "'");
                }
            }
        } else if (mediaType.equals("application/octet-stream")) {
            if (pathParam == null || pathParam.isEmpty()) {
                throw HttpError.of(400, "an octet-stream upload needs a path parameter");
            }
            files.put(SandboxFiles.protocolPath(pathParam, user), body);
        } else {
            throw HttpError.of(400, "unsupported content type: " + contentType);
        }
        ArrayNode written = Json.MAPPER.createArrayNode();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path host = sandbox.files.resolve(file.getKey());
            if (Files.isDirectory(host)) {
                throw HttpError.of(400, "path '" + file.getKey() + "' is a directory");
            }
            try {
                sandbox.files.write(host, file.getValue(), metadata);
            } catch (IOException e) {
                if (String.valueOf(e.getMessage()).contains("No space left")) {
                    throw HttpError.of(507, "not enough disk space available");
                }
                throw HttpError.of(400, "cannot write '" + file.getKey() + "': " + e.getMessage());
            }
            String path = sandbox.files.toProtocolPath(host);
            ObjectNode entry = written.addObject().put("path", path).put("name", host.getFileName().toString()).put("type", "file");
            FileMetadata.addTo(entry, sandbox.files.metadataOf(host));
        }
        ex.sendJson(200, written);
    }
}
