package dev.e2bjobs.local.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.local.s3.S3Emulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class SubmitBundleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "results-bucket";

    private static S3Emulator emulator;
    private static S3Client s3;

    @BeforeAll
    static void startEmulator() throws Exception {
        emulator = S3Emulator.start();
        s3 = emulator.client();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopEmulator() {
        s3.close();
        emulator.close();
    }

    @Test
    void aDirectoryWithoutJobJsonIsZippedWithTheJobSubmitExampleWouldSendBesidesItsFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("main.py"), "print('hi')");
        Files.createDirectories(dir.resolve("data"));
        Files.write(dir.resolve("data/in.bin"), new byte[] {0, (byte) 0xff});
        Files.createDirectories(dir.resolve("results"));
        Files.writeString(dir.resolve("results/old.txt"), "left out");

        Map<String, byte[]> entries = unzip(SubmitBundle.bundle(dir));
        assertEquals(java.util.List.of("data/in.bin", "job.json", "main.py"), java.util.List.copyOf(entries.keySet()));
        assertEquals(SubmitExample.jobWithoutFiles(dir), JSON.readTree(entries.get("job.json")));
        assertEquals(2, entries.get("data/in.bin").length);
    }

    @Test
    void aDirectorysOwnJobJsonGoesIntoTheZipAsItIs(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("job.json"), "{\"command\": \"python main.py\"}\n");
        Files.writeString(dir.resolve("main.py"), "print('hi')");

        Map<String, byte[]> entries = unzip(SubmitBundle.bundle(dir));
        assertEquals("{\"command\": \"python main.py\"}\n", new String(entries.get("job.json"), StandardCharsets.UTF_8));
        assertEquals(2, entries.size());
    }

    @Test
    void aSucceededJobsResultsArePrintedAndExitZero() throws Exception {
        put("results/ok/stdout.txt", "hello from the job\n");
        put("results/ok/stderr.txt", "");
        put("results/ok/files/results/metrics.json", "{\"score\": 1}");
        put("results/ok/status.json", "{\"status\":\"SUCCEEDED\",\"exitCode\":0}");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, SubmitBundle.report(s3, BUCKET, "ok", new PrintStream(out, true, StandardCharsets.UTF_8)));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("status: SUCCEEDED\nexit code: 0\n"), printed);
        assertTrue(printed.contains("--- stdout.txt\nhello from the job\n"), printed);
        assertTrue(printed.contains("results/ok/files/results/metrics.json (12 bytes)"), printed);
    }

    @Test
    void aFailedJobOrARefusedBundleExitsOne() throws Exception {
        put("results/failed/status.json", "{\"status\":\"FAILED\",\"exitCode\":3}");
        put("results/refused/error.json", "{\"code\":\"invalid-bundle\"}");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream printer = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertEquals(1, SubmitBundle.report(s3, BUCKET, "failed", printer));
        assertEquals(1, SubmitBundle.report(s3, BUCKET, "refused", printer));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("the bundle was refused: {\"code\":\"invalid-bundle\"}"), out.toString());
    }

    private static void put(String key, String content) {
        s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content, StandardCharsets.UTF_8));
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws Exception {
        Map<String, byte[]> entries = new TreeMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }
}
