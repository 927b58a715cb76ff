package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The outcome a runner prints as it exits: taken only when all of it arrived. */
class RunnerTest {
    private static final byte[] ARCHIVE = "an archive's bytes \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);

    private static byte[] printed(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String frame(int size, String base64) {
        return "e2bjobs-outcome " + size + "\n" + base64 + "\n";
    }

    @Test
    void aWholePrintedOutcomeIsTheArchive() {
        String base64 = Base64.getEncoder().encodeToString(ARCHIVE);

        assertArrayEquals(ARCHIVE, Runner.printedOutcome(printed(frame(ARCHIVE.length, base64))).orElseThrow());
        assertArrayEquals(ARCHIVE, Runner.printedOutcome(printed("something else first\n" + frame(ARCHIVE.length, base64))).orElseThrow());
    }

    @Test
    void aCutOrMismatchedOrAbsentOneIsNot() {
        String base64 = Base64.getEncoder().encodeToString(ARCHIVE);

        assertTrue(Runner.printedOutcome(printed(frame(ARCHIVE.length, base64).substring(0, 30))).isEmpty(), "followed from mid-way, or cut at the bound");
        assertTrue(Runner.printedOutcome(printed(frame(ARCHIVE.length + 1, base64))).isEmpty(), "not the size announced");
        assertTrue(Runner.printedOutcome(printed(frame(ARCHIVE.length, "!!not base64!!"))).isEmpty());
        assertTrue(Runner.printedOutcome(new byte[0]).isEmpty(), "followed after it had printed");
    }
}
