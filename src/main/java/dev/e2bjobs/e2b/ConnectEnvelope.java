package dev.e2bjobs.e2b;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One frame of the Connect streaming protocol: 1 flag byte, a 4-byte big-endian length, the payload.
 * envd streams (process.Process Start/Connect) and their requests use this framing; the last frame
 * of a response stream is the end-stream frame carrying {} or an error.
 */
public record ConnectEnvelope(int flags, byte[] payload) {

    public static final int FLAG_COMPRESSED = 0x01;
    public static final int FLAG_END_STREAM = 0x02;
    /** Frames larger than this are refused: envd output chunks are at most 32 KiB. */
    public static final int MAX_PAYLOAD = 16 * 1024 * 1024;

    public static ConnectEnvelope message(String json) {
        return new ConnectEnvelope(0, json.getBytes(StandardCharsets.UTF_8));
    }

    public static ConnectEnvelope endStream(String json) {
        return new ConnectEnvelope(FLAG_END_STREAM, json.getBytes(StandardCharsets.UTF_8));
    }

    public boolean isEndStream() {
        return (flags & FLAG_END_STREAM) != 0;
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public byte[] encode() {
        return ByteBuffer.allocate(5 + payload.length).put((byte) flags).putInt(payload.length).put(payload).array();
    }

    /** Reads the next frame, or returns null when the stream ends cleanly between frames. */
    public static ConnectEnvelope read(InputStream in) throws IOException {
        int flags = in.read();
        if (flags < 0) {
            return null;
        }
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new EOFException("Connect envelope header cut short");
        }
        int length = ByteBuffer.wrap(header).getInt();
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new IOException("Connect envelope length out of range: " + length);
        }
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
            throw new EOFException("Connect envelope payload cut short: " + payload.length + " of " + length + " bytes");
        }
        return new ConnectEnvelope(flags, payload);
    }

    /** Encodes several frames back to back, as one request or response body. */
    public static byte[] encodeAll(ConnectEnvelope... envelopes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ConnectEnvelope envelope : envelopes) {
            out.writeBytes(envelope.encode());
        }
        return out.toByteArray();
    }
}
