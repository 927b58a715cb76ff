package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.sandbox.FileEntry;
import dev.e2bjobs.sandbox.FileTail;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's outcome.tar as GNU tar writes it, read back; what does not parse or lies outside the job's results counts as missing. */
class PackedOutcomeTest {
    private static final List<String> RESULT_PATHS = List.of("results/", "out.txt");
    private static final String LONG = "results/" + "deep/".repeat(30) + "metrics.json";

    @TempDir
    Path dir;

    /** A tar of {@code files} (name → content), made by GNU tar as runner.sh makes it: {@code tar -C dir -cf - .}. */
    private byte[] tar(Map<String, byte[]> files) throws IOException, InterruptedException {
        Path root = Files.createDirectories(dir.resolve("outcome"));
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path path = root.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
        }
        Path archive = dir.resolve("outcome.tar");
        Process tar = new ProcessBuilder("tar", "-C", root.toString(), "-cf", archive.toString(), ".").inheritIO().start();
        assertEquals(0, tar.waitFor());
        return Files.readAllBytes(archive);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private PackedOutcome packed(String listing, Map<String, byte[]> more) throws Exception {
        Map<String, byte[]> files = new java.util.HashMap<>(Map.of("exit_code", bytes("command 3\n"), "stdout", bytes("tail of it"),
                "stderr", bytes(""), "sizes", bytes("stdout 4000\nstderr 0\n"), "results.list", bytes(listing)));
        files.putAll(more);
        return PackedOutcome.parse(tar(files)).orElseThrow();
    }

    @Test
    void theExitCodeTailsListingAndPackedFilesComeBackAsTheRunnerWroteThem() throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        PackedOutcome outcome = packed("256 results/all.bin\0" + "9 " + LONG + "\0" + "900000 results/big.bin\0" + "2 out.txt\0",
                Map.of("job/results/all.bin", binary, "job/" + LONG, bytes("{\"a\": 1}\n"), "job/out.txt", bytes("ok")));

        assertEquals(new Runner.Outcome("command", 3), outcome.outcome());
        FileTail stdout = outcome.tail("stdout", 4).orElseThrow();
        assertEquals("f it", new String(stdout.bytes(), StandardCharsets.UTF_8));
        assertEquals(4000, stdout.totalSize());
        assertEquals(0, outcome.tail("stderr", 16).orElseThrow().totalSize());
        List<FileEntry> results = outcome.results("/home/user/job", RESULT_PATHS).orElseThrow();
        assertEquals(List.of("/home/user/job/results/all.bin", "/home/user/job/" + LONG, "/home/user/job/results/big.bin", "/home/user/job/out.txt"),
                results.stream().map(FileEntry::path).toList());
        assertEquals(900000, results.get(2).size());
        assertArrayEquals(binary, outcome.resultFile("results/all.bin").orElseThrow(), "byte-exact");
        assertEquals("{\"a\": 1}\n", new String(outcome.resultFile(LONG).orElseThrow(), StandardCharsets.UTF_8), "a name longer than tar's 100 bytes");
        assertTrue(outcome.resultFile("results/big.bin").isEmpty(), "beyond the budget: read from the sandbox");
    }

    @Test
    void aTailShorterThanWhatIsAskedAndThanTheFileIsNotEnough() throws Exception {
        PackedOutcome outcome = packed("", Map.of());

        assertEquals(Optional.empty(), outcome.tail("stdout", 100_000).map(FileTail::totalSize), "10 bytes of 4000 kept, more asked");
        assertEquals(Optional.empty(), outcome.tail("install.log", 10), "not packed");
        assertEquals(List.of(), outcome.results("/home/user/job", RESULT_PATHS).orElseThrow(), "no result files");
    }

    @Test
    void aListingThatLeavesTheResultPathsOrDoesNotParseIsIgnored() throws Exception {
        for (String forged : List.of("5 results/../../etc/passwd\0", "5 /etc/passwd\0", "5 main.py\0", "x results/a\0", "results/a\0")) {
            assertEquals(Optional.empty(), packed(forged, Map.of()).results("/home/user/job", RESULT_PATHS), forged);
        }
    }

    @Test
    void whatIsNotATarWithAnExitCodeIsNoPackedOutcome() throws Exception {
        assertTrue(PackedOutcome.parse(bytes("command 0\n")).isEmpty());
        assertTrue(PackedOutcome.parse(new byte[0]).isEmpty());
        assertTrue(PackedOutcome.parse(tar(Map.of("stdout", bytes("x")))).isEmpty());
        byte[] cut = tar(Map.of("exit_code", bytes("command 0\n"), "stdout", bytes("y".repeat(5000))));
        assertTrue(PackedOutcome.parse(java.util.Arrays.copyOf(cut, 1500)).isEmpty(), "a truncated archive");
    }
}
