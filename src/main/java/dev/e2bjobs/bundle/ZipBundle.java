package dev.e2bjobs.bundle;

import dev.e2bjobs.job.InvalidJobRequestException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A zip bundle's files, read defensively: the central directory is checked whole before a byte is
 * inflated (entry count, declared sizes, compression ratio, names, links, encryption), and inflating
 * stops at the declared size, so a zip bomb or a lying header is refused without being expanded.
 * Only stored and deflated entries of a plain (not zip64, single-disk) archive are read.
 */
final class ZipBundle {
    private static final int END_OF_DIRECTORY = 0x06054b50;
    private static final int DIRECTORY_ENTRY = 0x02014b50;
    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int UTF8_NAMES = 0x800;
    private static final int UNIX_TYPE_MASK = 0xF000;
    private static final int UNIX_SYMLINK = 0xA000;
    /** Beyond this expansion an entry is a bomb, not data (text compresses about 3-10:1). */
    static final int MAX_RATIO = 100;
    /** Small entries may compress further than MAX_RATIO (a file of zeros) without harm. */
    private static final int RATIO_FLOOR_BYTES = 64 * 1024;

    /** What a bundle may hold: its files (directories count too) and their uncompressed bytes together. */
    record Limits(int maxEntries, long maxTotalBytes) {
    }

    private record Entry(String path, int method, long compressedSize, long size, long crc, int localHeader) {
    }

    private ZipBundle() {
    }

    /** Path → content of every file in the zip; anything unsafe or beyond the limits is BUNDLE_INVALID or BUNDLE_TOO_LARGE. */
    static Map<String, byte[]> read(byte[] zip, Limits limits) {
        ByteBuffer bytes = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        List<Entry> entries = directory(bytes, limits);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Entry entry : entries) {
            if (!entry.path().endsWith("/") && files.put(entry.path(), content(bytes, entry)) != null) {
                throw invalid("the zip holds " + entry.path() + " twice");
            }
        }
        return files;
    }

    /** The central directory's entries, all checked. */
    private static List<Entry> directory(ByteBuffer zip, Limits limits) {
        int end = endOfDirectory(zip);
        int count = Short.toUnsignedInt(zip.getShort(end + 10));
        long offset = Integer.toUnsignedLong(zip.getInt(end + 16));
        if (zip.getShort(end + 4) != 0 || zip.getShort(end + 6) != 0 || count == 0xFFFF || offset == 0xFFFFFFFFL) {
            throw invalid("multi-disk and zip64 archives are not taken; a bundle is a plain zip");
        }
        if (count > limits.maxEntries()) {
            throw tooLarge("the zip has " + count + " entries; at most " + limits.maxEntries());
        }
        List<Entry> entries = new ArrayList<>();
        long total = 0;
        int at = (int) Math.min(offset, zip.limit());
        for (int i = 0; i < count; i++) {
            Entry entry = entry(zip, at);
            at += 46 + Short.toUnsignedInt(zip.getShort(at + 28)) + Short.toUnsignedInt(zip.getShort(at + 30))
                    + Short.toUnsignedInt(zip.getShort(at + 32));
            total += entry.size();
            if (total > limits.maxTotalBytes()) {
                throw tooLarge("the zip's files expand to more than " + limits.maxTotalBytes() + " bytes");
            }
            entries.add(entry);
        }
        return entries;
    }

    private static Entry entry(ByteBuffer zip, int at) {
        require(at + 46 <= zip.limit() && zip.getInt(at) == DIRECTORY_ENTRY, "the zip's central directory is damaged");
        int flags = Short.toUnsignedInt(zip.getShort(at + 8));
        int method = Short.toUnsignedInt(zip.getShort(at + 10));
        long compressed = Integer.toUnsignedLong(zip.getInt(at + 20));
        long size = Integer.toUnsignedLong(zip.getInt(at + 24));
        int nameLength = Short.toUnsignedInt(zip.getShort(at + 28));
        int mode = zip.getInt(at + 38) >>> 16;
        require(at + 46 + nameLength <= zip.limit(), "the zip's central directory is damaged");
        String path = name(zip, at + 46, nameLength, (flags & UTF8_NAMES) != 0);
        require((flags & 1) == 0, path + " is encrypted");
        require(method == 0 || method == 8, path + " uses compression method " + method + "; only stored and deflated entries are read");
        require((mode & UNIX_TYPE_MASK) != UNIX_SYMLINK, path + " is a link; a bundle holds plain files only");
        if (size > RATIO_FLOOR_BYTES && size > compressed * MAX_RATIO) {
            throw tooLarge(path + " expands " + size / Math.max(compressed, 1) + ":1; a bundle may expand at most " + MAX_RATIO + ":1");
        }
        return new Entry(path, method, compressed, size, Integer.toUnsignedLong(zip.getInt(at + 16)), zip.getInt(at + 42));
    }

    /** An entry's name, relative to the job root: no absolute path, no drive, no backslash, no "." or ".." segment. */
    private static String name(ByteBuffer zip, int at, int length, boolean utf8Flagged) {
        byte[] raw = new byte[length];
        zip.get(at, raw);
        String path;
        try {
            // names without the UTF-8 flag are often UTF-8 all the same; anything else is refused
            path = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw invalid("an entry's name is not UTF-8" + (utf8Flagged ? " though flagged so" : ""));
        }
        require(!path.isEmpty() && !path.startsWith("/") && !path.contains("\\") && !path.contains("\0")
                && !path.matches("^[A-Za-z]:.*"), "entry '" + path + "' is not a relative path");
        for (String segment : path.split("/", -1)) {
            require(!segment.equals("..") && !segment.equals("."), "entry '" + path + "' leaves or names the job root");
        }
        return path;
    }

    /** One file's bytes: inflated up to its declared size and no further, its CRC checked. */
    private static byte[] content(ByteBuffer zip, Entry entry) {
        int header = entry.localHeader();
        require(header >= 0 && header + 30 <= zip.limit() && zip.getInt(header) == LOCAL_HEADER, entry.path() + ": damaged local header");
        long data = (long) header + 30 + Short.toUnsignedInt(zip.getShort(header + 26)) + Short.toUnsignedInt(zip.getShort(header + 28));
        require(data + entry.compressedSize() <= zip.limit(), entry.path() + " is cut short");
        byte[] out = new byte[(int) entry.size()];
        if (entry.method() == 0) {
            require(entry.compressedSize() == entry.size(), entry.path() + ": stored sizes disagree");
            zip.get((int) data, out);
        } else {
            inflate(zip.array(), (int) data, (int) entry.compressedSize(), out, entry.path());
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        require(crc.getValue() == entry.crc(), entry.path() + " is damaged (CRC mismatch)");
        return out;
    }

    private static void inflate(byte[] zip, int offset, int length, byte[] out, String path) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(zip, offset, length);
            int filled = 0;
            while (filled < out.length && !inflater.finished()) {
                int n = inflater.inflate(out, filled, out.length - filled);
                require(n > 0, path + " is cut short"); // no output left to make: the input ended early
                filled += n;
            }
            // more data than declared: stop here rather than expand it
            require(filled == out.length && (inflater.finished() || inflater.inflate(new byte[1]) == 0), path + "'s size is not what the zip declares");
        } catch (DataFormatException e) {
            throw invalid(path + " is damaged: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static int endOfDirectory(ByteBuffer zip) {
        for (int at = zip.limit() - 22; at >= Math.max(0, zip.limit() - 22 - 0xFFFF); at--) {
            if (zip.getInt(at) == END_OF_DIRECTORY) {
                return at;
            }
        }
        throw invalid("not a zip archive (no end of central directory)");
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw invalid(problem);
        }
    }

    static InvalidJobRequestException invalid(String problem) {
        return new InvalidJobRequestException("BUNDLE_INVALID", problem);
    }

    static InvalidJobRequestException tooLarge(String problem) {
        return new InvalidJobRequestException("BUNDLE_TOO_LARGE", problem);
    }
}
