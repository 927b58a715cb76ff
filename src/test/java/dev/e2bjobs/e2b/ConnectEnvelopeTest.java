package dev.e2bjobs.e2b;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ConnectEnvelopeTest {

    @Test
    void encodesFlagsThenBigEndianLengthThenPayload() {
        byte[] bytes = ConnectEnvelope.message("{\"event\":{}}").encode();
        assertArrayEquals(new byte[] {0, 0, 0, 0, 12}, Arrays.copyOf(bytes, 5));
        assertEquals("{\"event\":{}}", new String(bytes, 5, 12));
        assertEquals(2, ConnectEnvelope.endStream("{}").encode()[0]);
    }

    @Test
    void readsFramesBackToBackAndNullAtACleanEnd() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(ConnectEnvelope.encodeAll(
                ConnectEnvelope.message("{\"a\":1}"), ConnectEnvelope.endStream("{}")));
        ConnectEnvelope first = ConnectEnvelope.read(in);
        assertEquals("{\"a\":1}", first.text());
        assertEquals(0, first.flags());
        ConnectEnvelope last = ConnectEnvelope.read(in);
        assertTrue(last.isEndStream());
        assertEquals("{}", last.text());
        assertNull(ConnectEnvelope.read(in));
    }

    @Test
    void aFrameCutShortIsAnError() {
        byte[] whole = ConnectEnvelope.message("{\"a\":1}").encode();
        assertThrows(EOFException.class, () -> ConnectEnvelope.read(new ByteArrayInputStream(Arrays.copyOf(whole, 3))));
        assertThrows(EOFException.class, () -> ConnectEnvelope.read(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 1))));
    }

    @Test
    void anAbsurdLengthIsRefusedBeforeAllocating() {
        byte[] header = {0, (byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThrows(IOException.class, () -> ConnectEnvelope.read(new ByteArrayInputStream(header)));
    }
}
