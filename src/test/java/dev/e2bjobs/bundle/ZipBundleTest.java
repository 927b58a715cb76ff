package dev.e2bjobs.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.job.InvalidJobRequestException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A zip bundle is read only when it is safe: plain relative files, within the limits, no bomb, no link. */
class ZipBundleTest {
    private static final ZipBundle.Limits LIMITS = new ZipBundle.Limits(10, 5 * 1024 * 1024);

    @Test
    void filesComeOutByteForByteAtTheirPathsDirectoriesAside() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("job.json", "{}".getBytes(StandardCharsets.UTF_8));
        entries.put("data/", new byte[0]);
        entries.put("data/all bytes.bin", binary);
        entries.put("src/ünïcode.py", "print('ü')".getBytes(StandardCharsets.UTF_8));

        Map<String, byte[]> files = ZipBundle.read(Zips.of(entries, true), LIMITS);

        assertEquals(List.of("job.json", "data/all bytes.bin", "src/ünïcode.py"), List.copyOf(files.keySet()));
        assertArrayEquals(binary, files.get("data/all bytes.bin"));
        assertArrayEquals(binary, ZipBundle.read(Zips.of(Map.of("data/all bytes.bin", binary), false), LIMITS).get("data/all bytes.bin"),
                "stored entries too");
    }

    @Test
    void pathsThatLeaveTheJobRootAreRefused() {
        for (String path : List.of("../escape.py", "a/../../escape.py", "/etc/passwd", "C:/windows.py", "a\\b.py", "./main.py")) {
            assertEquals("BUNDLE_INVALID", refusal(Zips.of(Map.of(path, new byte[] {1}), true), LIMITS), path);
        }
    }

    @Test
    void aSymbolicLinkIsRefused() {
        byte[] zip = Zips.of(Map.of("link.py", "/etc/passwd".getBytes(StandardCharsets.UTF_8)), true);
        centralEntry(zip).putInt(38, 0120777 << 16); // what zip -y writes for a link: the Unix mode in the high half
        InvalidJobRequestException refused = assertThrows(InvalidJobRequestException.class, () -> ZipBundle.read(zip, LIMITS));
        assertEquals("BUNDLE_INVALID", refused.code());
        assertTrue(refused.getMessage().contains("link"), refused.getMessage());
    }

    @Test
    void aZipBombIsRefusedFromItsDirectoryWithoutBeingExpanded() {
        byte[] bomb = Zips.of(Map.of("zeros.bin", new byte[3 * 1024 * 1024]), true); // 3 MB of zeros: about 3 KB deflated
        assertTrue(bomb.length < 10_000, "a bomb: " + bomb.length + " bytes");

        InvalidJobRequestException refused = assertThrows(InvalidJobRequestException.class, () -> ZipBundle.read(bomb, LIMITS));

        assertEquals("BUNDLE_TOO_LARGE", refused.code());
        assertTrue(refused.getMessage().contains(":1"), refused.getMessage());
    }

    @Test
    void aBundleBeyondItsEntriesOrBytesIsRefused() {
        Map<String, byte[]> eleven = new LinkedHashMap<>();
        for (int i = 0; i < 11; i++) {
            eleven.put("f" + i + ".py", new byte[] {1});
        }
        assertEquals("BUNDLE_TOO_LARGE", refusal(Zips.of(eleven, true), LIMITS));
        byte[] random = new byte[600];
        new java.util.Random(7).nextBytes(random);
        assertEquals("BUNDLE_TOO_LARGE", refusal(Zips.of(Map.of("a.bin", random, "b.bin", random), true), new ZipBundle.Limits(10, 1000)));
    }

    @Test
    void aDeclaredSizeThatLiesStopsTheInflatingThere() {
        byte[] zip = Zips.of(Map.of("main.py", "print('a longer body than declared')".getBytes(StandardCharsets.UTF_8)), true);
        centralEntry(zip).putInt(24, 5); // says 5 bytes: inflating stops at 5 and finds more
        assertEquals("BUNDLE_INVALID", refusal(zip, LIMITS));
    }

    @Test
    void encryptedDamagedOrForeignArchivesAreRefused() {
        byte[] encrypted = Zips.of(Map.of("main.py", new byte[] {1, 2, 3}), true);
        ByteBuffer entry = centralEntry(encrypted);
        entry.putShort(8, (short) (entry.getShort(8) | 1));
        assertEquals("BUNDLE_INVALID", refusal(encrypted, LIMITS));
        byte[] damaged = Zips.of(Map.of("main.py", new byte[] {1, 2, 3}), false);
        centralEntry(damaged).putInt(16, 12345); // a CRC the content does not have
        assertEquals("BUNDLE_INVALID", refusal(damaged, LIMITS));
        assertEquals("BUNDLE_INVALID", refusal("not a zip at all".getBytes(StandardCharsets.UTF_8), LIMITS));
    }

    private static String refusal(byte[] zip, ZipBundle.Limits limits) {
        return assertThrows(InvalidJobRequestException.class, () -> ZipBundle.read(zip, limits)).code();
    }

    /** The zip's first central directory entry, to edit in place. */
    private static ByteBuffer centralEntry(byte[] zip) {
        ByteBuffer bytes = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = zip.length - 22; at >= 0; at--) {
            if (bytes.getInt(at) == 0x06054b50) {
                return bytes.position(bytes.getInt(at + 16)).slice().order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        throw new AssertionError("no central directory");
    }
}
