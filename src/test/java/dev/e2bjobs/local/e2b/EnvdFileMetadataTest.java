package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** File metadata (envd ≥ 0.6.2): X-Metadata-* upload headers, returned in every EntryInfo of the file. */
class EnvdFileMetadataTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults());

    private static HttpResponse<String> upload(String path, String content, String... metadataHeaders) {
        HttpRequest.Builder request = E2B.wire().envd(E2B.sandbox(), "/files?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofString(content));
        if (metadataHeaders.length > 0) {
            request.headers(metadataHeaders);
        }
        return E2B.wire().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode rpc(String procedure, String json) {
        return WireClient.json(E2B.wire().unary(E2B.sandbox(), "filesystem.Filesystem/" + procedure, json).body());
    }

    private static Map<String, String> metadata(JsonNode entry) {
        return Json.MAPPER.convertValue(entry.path("metadata"), Json.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, String.class));
    }

    @Test
    void uploadHeadersBecomeMetadataThatStatListAndMoveReturn() {
        HttpResponse<String> written = upload("/home/user/meta/report.csv", "a,b\n", "X-Metadata-Author", "mish", "x-metadata-PURPOSE", "upload");
        assertEquals(200, written.statusCode(), written.body());
        Map<String, String> expected = Map.of("author", "mish", "purpose", "upload");
        assertEquals(expected, metadata(WireClient.json(written.body()).get(0)), "keys lowercased");

        assertEquals(expected, metadata(rpc("Stat", "{\"path\":\"/home/user/meta/report.csv\"}").path("entry")));
        assertEquals(expected, metadata(rpc("ListDir", "{\"path\":\"/home/user/meta\"}").path("entries").get(0)));
        JsonNode moved = rpc("Move", "{\"source\":\"/home/user/meta/report.csv\",\"destination\":\"/home/user/meta/renamed.csv\"}");
        assertEquals(expected, metadata(moved.path("entry")));
        assertEquals(expected, metadata(rpc("Stat", "{\"path\":\"/home/user/meta/renamed.csv\"}").path("entry")), "it follows the file");
    }

    @Test
    void eachUploadReplacesTheWholeSet() {
        upload("/home/user/replaced.txt", "1", "X-Metadata-Old", "yes", "X-Metadata-Kept", "1");
        upload("/home/user/replaced.txt", "2", "X-Metadata-Kept", "2");
        assertEquals(Map.of("kept", "2"), metadata(rpc("Stat", "{\"path\":\"/home/user/replaced.txt\"}").path("entry")));
        upload("/home/user/replaced.txt", "3");
        assertFalse(rpc("Stat", "{\"path\":\"/home/user/replaced.txt\"}").path("entry").has("metadata"), "no headers, no metadata");
    }

    @Test
    void metadataEnvdWouldRefuseIsA400AndWritesNothing() {
        String longKey = "k".repeat(247);
        assertRefused("metadata key \"" + longKey + "\" exceeds 246 bytes", "X-Metadata-" + longKey, "v");
        // each entry counts as "user.e2b." + key + value
        assertRefused("total metadata size 4097 exceeds 4096 bytes", "X-Metadata-a", "x".repeat(2000), "X-Metadata-b", "y".repeat(2077));
        assertFalse(Files.exists(E2B.server().sandboxRoot(E2B.sandbox().id()).resolve("home/user/refused.txt")));
    }

    @Test
    void aValueThatIsNotPrintableAsciiIsRefusedAtItsByte() throws Exception {
        // java.net.http sends '?' for such bytes, so this request is written by hand
        String request = "POST /files?path=/home/user/refused.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "E2b-Sandbox-Id: " + E2B.sandbox().id() + "\r\nX-Access-Token: " + E2B.sandbox().token() + "\r\n"
                + "Content-Type: application/octet-stream\r\nContent-Length: 2\r\nX-Metadata-Note: caf\u00e9\r\n\r\nno";
        try (Socket socket = new Socket("127.0.0.1", E2B.server().port())) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(response.startsWith("HTTP/1.1 400 "), response);
            assertTrue(response.endsWith("\"invalid metadata: metadata value for key \\\"note\\\" contains non-printable-ASCII byte 0xe9 at offset 3\"}"), response);
        }
    }

    private static void assertRefused(String message, String... headers) {
        HttpResponse<String> response = upload("/home/user/refused.txt", "no", headers);
        assertEquals(400, response.statusCode());
        assertEquals("invalid metadata: " + message, WireClient.json(response.body()).path("message").asText());
    }

    @Test
    void sandboxProcessesSeeMetadataAsUserE2bXattrs() {
        assumeTrue(XattrMetadataStore.worksAt(E2B.server().sandboxRoot(E2B.sandbox().id())), "the host filesystem takes user xattrs");
        upload("/home/user/tagged.txt", "t", "X-Metadata-Stage", "raw");
        String read = WireClient.output(E2B.wire().run(E2B.sandbox(),
                "python3 -c \"import os; print(os.getxattr('/home/user/tagged.txt', 'user.e2b.stage').decode())\""), "stdout");
        assertEquals("raw\n", read);
    }
}
