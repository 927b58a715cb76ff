package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** envd's /files and filesystem.Filesystem, and the proxy's answer for sandboxes that are not there. */
class EnvdFilesTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults());

    private static String query(String path) {
        return "/files?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8);
    }

    private static byte[] multipart(String boundary, List<String[]> files) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String[] file : files) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + file[0]
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file[1].getBytes(StandardCharsets.UTF_8));
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private HttpResponse<String> upload(String pathAndQuery, List<String[]> files) {
        String boundary = "----e2bjobs" + System.nanoTime();
        return E2B.wire().send(E2B.wire().envd(E2B.sandbox(), pathAndQuery)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, files))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> download(String path, String... headers) {
        HttpRequest.Builder request = E2B.wire().envd(E2B.sandbox(), query(path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return E2B.wire().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void multipartUploadWritesEveryPartToItsFullPathCreatingParents() {
        HttpResponse<String> response = upload("/files", List.of(
                new String[] {"/home/user/job/main.py", "print('main')\n"},
                new String[] {"job/results/keep.txt", "kept"},
                new String[] {"/tmp/scratch.txt", "scratch"}));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode written = WireClient.json(response.body());
        assertEquals(3, written.size());
        assertEquals("/home/user/job/main.py", written.get(0).path("path").asText());
        assertEquals("main.py", written.get(0).path("name").asText());
        assertEquals("file", written.get(0).path("type").asText());
        assertEquals("/home/user/job/results/keep.txt", written.get(1).path("path").asText());

        assertEquals("print('main')\n", new String(download("/home/user/job/main.py").body(), StandardCharsets.UTF_8));
        assertEquals("kept", new String(download("~/job/results/keep.txt").body(), StandardCharsets.UTF_8));
        assertEquals("scratch", WireClient.output(E2B.wire().run(E2B.sandbox(), "cat /tmp/scratch.txt"), "stdout"),
                "what the file API wrote is what the sandbox's processes see");
    }

    @Test
    void octetStreamUploadNeedsAPathAndKeepsBytesExact() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        HttpResponse<String> response = E2B.wire().send(E2B.wire().envd(E2B.sandbox(), query("/home/user/blob.bin"))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertArrayEquals(bytes, download("/home/user/blob.bin").body());

        HttpResponse<String> noPath = E2B.wire().send(E2B.wire().envd(E2B.sandbox(), "/files")
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, noPath.statusCode());
        assertEquals(400, WireClient.json(noPath.body()).path("code").asInt());
    }

    @Test
    void missingFilesAre404JsonAndDirectoriesAre400() {
        HttpResponse<byte[]> missing = download("/home/user/nope.txt");
        assertEquals(404, missing.statusCode());
        JsonNode body = WireClient.json(new String(missing.body(), StandardCharsets.UTF_8));
        assertEquals(404, body.path("code").asInt());
        assertEquals("path '/home/user/nope.txt' does not exist", body.path("message").asText());
        assertEquals(400, download("/home/user").statusCode());
    }

    @Test
    void rangeRequestsReadTheTail() {
        upload(query("/home/user/log.txt"), List.<String[]>of(new String[] {"ignored-name", "0123456789"}));
        HttpResponse<byte[]> tail = download("/home/user/log.txt", "Range", "bytes=-4");
        assertEquals(206, tail.statusCode());
        assertEquals("6789", new String(tail.body(), StandardCharsets.UTF_8));
        assertEquals("bytes 6-9/10", tail.headers().firstValue("Content-Range").orElseThrow());
        assertEquals("234", new String(download("/home/user/log.txt", "Range", "bytes=2-4").body(), StandardCharsets.UTF_8));
        assertEquals(416, download("/home/user/log.txt", "Range", "bytes=20-").statusCode());
    }

    @Test
    void filesystemRpcStatListMakeMoveRemove() throws Exception {
        upload("/files", List.<String[]>of(new String[] {"/home/user/fs/a/one.txt", "1"}, new String[] {"/home/user/fs/two.txt", "22"}));

        JsonNode stat = WireClient.json(E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/Stat", "{\"path\":\"/home/user/fs/two.txt\"}").body());
        assertEquals("FILE_TYPE_FILE", stat.path("entry").path("type").asText());
        assertEquals("2", stat.path("entry").path("size").asText(), "int64 travels as a string");
        assertEquals("-rw-r--r--", stat.path("entry").path("permissions").asText());

        JsonNode shallow = WireClient.json(E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/ListDir", "{\"path\":\"/home/user/fs\",\"depth\":1}").body());
        assertEquals(List.of("/home/user/fs/a", "/home/user/fs/two.txt"), paths(shallow));
        JsonNode deep = WireClient.json(E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/ListDir", "{\"path\":\"/home/user/fs\",\"depth\":2}").body());
        assertEquals(List.of("/home/user/fs/a", "/home/user/fs/a/one.txt", "/home/user/fs/two.txt"), paths(deep));

        assertEquals(200, E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/MakeDir", "{\"path\":\"/home/user/fs/new/deep\"}").statusCode());
        HttpResponse<String> again = E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/MakeDir", "{\"path\":\"/home/user/fs/new/deep\"}");
        assertEquals(409, again.statusCode());
        assertEquals("already_exists", WireClient.json(again.body()).path("code").asText());

        JsonNode moved = WireClient.json(E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/Move",
                "{\"source\":\"/home/user/fs/two.txt\",\"destination\":\"/home/user/fs/new/two.txt\"}").body());
        assertEquals("/home/user/fs/new/two.txt", moved.path("entry").path("path").asText());
        assertEquals(404, download("/home/user/fs/two.txt").statusCode());

        assertEquals(200, E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/Remove", "{\"path\":\"/home/user/fs\"}").statusCode());
        assertFalse(Files.exists(E2B.server().sandboxRoot(E2B.sandbox().id()).resolve("home/user/fs")));
        HttpResponse<String> gone = E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/Stat", "{\"path\":\"/home/user/fs\"}");
        assertEquals(404, gone.statusCode());
        assertEquals("not_found", WireClient.json(gone.body()).path("code").asText());
    }

    @Test
    void aLinkIsDescribedByWhereItLeadsInsideTheSandbox() {
        E2B.wire().run(E2B.sandbox(), "mkdir -p ~/links/dir && echo real > ~/links/real.txt && cd ~/links"
                + " && ln -s ../links/real.txt relative && ln -s /home/user/links/dir to-dir && ln -s missing.txt dangling");

        JsonNode relative = stat("/home/user/links/relative");
        assertEquals("/home/user/links/real.txt", relative.path("symlinkTarget").asText(), "resolved and absolute, not the link's text");
        assertEquals("FILE_TYPE_FILE", relative.path("type").asText());
        assertEquals(420, relative.path("mode").asInt(), "the mode of the file it leads to");
        assertEquals("FILE_TYPE_DIRECTORY", stat("/home/user/links/to-dir").path("type").asText());
        JsonNode dangling = stat("/home/user/links/dangling");
        assertEquals("/home/user/links/dangling", dangling.path("symlinkTarget").asText());
        assertEquals("FILE_TYPE_UNSPECIFIED", dangling.path("type").asText());
    }

    private static JsonNode stat(String path) {
        return WireClient.json(E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/Stat", "{\"path\":\"" + path + "\"}").body()).path("entry");
    }

    private static List<String> paths(JsonNode listing) {
        return java.util.stream.StreamSupport.stream(listing.path("entries").spliterator(), false)
                .map(e -> e.path("path").asText()).sorted().toList();
    }

    @Test
    void unknownSandboxesGetTheProxys502AndClosedPortsSaySo() {
        WireClient.Sandbox unknown = new WireClient.Sandbox("inotthere", "x");
        HttpResponse<String> response = E2B.wire().send(E2B.wire().envd(unknown, "/health").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(502, response.statusCode());
        JsonNode body = WireClient.json(response.body());
        assertEquals("inotthere", body.path("sandboxId").asText());
        assertEquals("The sandbox was not found", body.path("message").asText());
        assertEquals(502, body.path("code").asInt());

        HttpResponse<String> closedPort = E2B.wire().send(E2B.wire().envd(E2B.sandbox(), "/health").setHeader("E2b-Sandbox-Port", "8080")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(502, closedPort.statusCode());
        assertEquals(8080, WireClient.json(closedPort.body()).path("port").asInt());
        assertTrue(WireClient.json(closedPort.body()).path("message").asText().contains("port is not open"));
    }
}
