package dev.e2bjobs.local.e2b;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough multipart/form-data parsing for envd uploads: part names, filenames kept verbatim, bytes. */
final class Multipart {
    record Part(String name, String filename, byte[] data) {
    }

    private static final Pattern PARAM = Pattern.compile(";\\s*([A-Za-z*]+)=(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^;\\s]*))");
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private Multipart() {
    }

    /** The boundary parameter of a multipart Content-Type, or null when there is none. */
    static String boundary(String contentType) {
        Matcher m = PARAM.matcher(contentType);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase("boundary")) {
                return m.group(2) != null ? m.group(2) : m.group(3);
            }
        }
        return null;
    }

    static List<Part> parse(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw new IllegalArgumentException("multipart body has no boundary");
        }
        pos += delimiter.length;
        List<Part> parts = new ArrayList<>();
        while (!(pos + 1 < body.length && body[pos] == '-' && body[pos + 1] == '-')) {
            int headersStart = pos + 2;
            int headersEnd = indexOf(body, HEADER_END, headersStart);
            if (headersEnd < 0) {
                throw new IllegalArgumentException("multipart part without a header end");
            }
            int dataStart = headersEnd + HEADER_END.length;
            int dataEnd = indexOf(body, nextDelimiter, dataStart);
            if (dataEnd < 0) {
                throw new IllegalArgumentException("multipart body is not terminated");
            }
            parts.add(part(new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(body, dataStart, dataEnd)));
            pos = dataEnd + nextDelimiter.length;
        }
        return parts;
    }

    private static Part part(String headers, byte[] data) {
        String name = null;
        String filename = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-disposition")) {
                continue;
            }
            Matcher m = PARAM.matcher(line.substring(colon + 1));
            while (m.find()) {
                String value = m.group(2) != null ? unquote(m.group(2)) : m.group(3);
                switch (m.group(1).toLowerCase(Locale.ROOT)) {
                    case "name" -> name = value;
                    case "filename" -> filename = value;
                    default -> { }
                }
            }
        }
        return new Part(name, filename, data);
    }

    /** Form encoders escape quotes and line breaks in filenames as %22, %0D, %0A (WHATWG) or with backslashes. */
    private static String unquote(String quoted) {
        return quoted.replace("\\\"", "\"").replace("\\\\", "\\")
                .replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n");
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
