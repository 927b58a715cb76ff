package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** The probe wheel is a wheel pip would accept: named by the spec, with a RECORD that holds. */
class WheelTest {

    private static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static String recordLine(String path, byte[] content) {
        return path + ",sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(Wheel.sha256(content)) + "," + content.length;
    }

    @Test
    void theProbeIsAPurePythonWheelWhoseRecordListsEveryFileWithItsHash() throws IOException {
        Wheel probe = PackageIndex.PROBE;
        assertEquals("e2bjobs_probe-1.0.0-py3-none-any.whl", probe.fileName());
        assertEquals("e2bjobs-probe", probe.project());
        Map<String, byte[]> files = entries(probe.bytes());
        String distInfo = "e2bjobs_probe-1.0.0.dist-info/";
        assertEquals("VALUE = 42\n", new String(files.get("e2bjobs_probe.py"), StandardCharsets.UTF_8));
        StringBuilder expected = new StringBuilder();
        files.forEach((path, content) -> expected.append(path.equals(distInfo + "RECORD") ? path + ",," : recordLine(path, content)).append('\n'));
        assertEquals(expected.toString(), new String(files.get(distInfo + "RECORD"), StandardCharsets.UTF_8));
        assertEquals("Metadata-Version: 2.1\nName: e2bjobs-probe\nVersion: 1.0.0\n", new String(files.get(distInfo + "METADATA"), StandardCharsets.UTF_8));
    }

    @Test
    void aProjectNameIsNormalizedAsPep503Says() {
        assertEquals("my-cool-pkg", new Wheel("My_Cool.Pkg-2.0-py3-none-any.whl", new byte[0]).project());
    }
}
