package dev.e2bjobs.job;

import dev.e2bjobs.sandbox.FileEntry;
import dev.e2bjobs.sandbox.FileTail;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runner's outcome.tar (see runner.sh), read in one request instead of a request per file: the
 * exit-code line, the tails of its output files with their full sizes, the listing of the result files
 * and those that fit its budget. The archive is written inside the user's sandbox, so nothing in it is
 * trusted beyond what the files themselves would say: a part that does not parse, or a listed path
 * outside the job's result paths, counts as missing, and the finalizer reads it from the sandbox.
 */
final class PackedOutcome {
    private static final int BLOCK = 512;
    private static final String RESULT_FILES = "job/";

    private final Map<String, byte[]> entries;

    private PackedOutcome(Map<String, byte[]> entries) {
        this.entries = entries;
    }

    /** The archive's contents, if it is a tar with an exit-code line. */
    static Optional<PackedOutcome> parse(byte[] tar) {
        Map<String, byte[]> entries = untar(tar);
        return entries == null || !entries.containsKey("exit_code") ? Optional.empty() : Optional.of(new PackedOutcome(entries));
    }

    Runner.Outcome outcome() {
        return Runner.Outcome.parse(entries.get("exit_code"));
    }

    /** The last {@code maxBytes} of a runner output file (stdout, stderr, install.log), if the archive holds that much of it. */
    Optional<FileTail> tail(String name, int maxBytes) {
        byte[] kept = entries.get(name);
        Long size = sizes().get(name);
        if (kept == null || size == null || kept.length > size || (kept.length < size && kept.length < maxBytes)) {
            return Optional.empty();
        }
        return Optional.of(new FileTail(Arrays.copyOfRange(kept, Math.max(0, kept.length - maxBytes), kept.length), size));
    }

    /** The result files under {@code resultPaths} as the sandbox would list them (paths under {@code workdir}), if listed. */
    Optional<List<FileEntry>> results(String workdir, List<String> resultPaths) {
        byte[] listing = entries.get("results.list");
        if (listing == null) {
            return Optional.empty();
        }
        List<FileEntry> files = new ArrayList<>();
        for (String line : listing.length == 0 ? new String[0] : new String(listing, StandardCharsets.UTF_8).split("\0")) {
            int space = line.indexOf(' ');
            if (space < 1 || !line.substring(0, space).matches("\\d{1,18}") || !underResultPaths(line.substring(space + 1), resultPaths)) {
                return Optional.empty();
            }
            String path = line.substring(space + 1);
            files.add(new FileEntry(workdir + "/" + path, path.substring(path.lastIndexOf('/') + 1), FileEntry.Type.FILE,
                    Long.parseLong(line.substring(0, space))));
        }
        return Optional.of(files);
    }

    /** A result file's content (its path relative to the job directory), if it fitted the archive's budget. */
    Optional<byte[]> resultFile(String relativePath) {
        return Optional.ofNullable(entries.get(RESULT_FILES + relativePath));
    }

    private static boolean underResultPaths(String path, List<String> resultPaths) {
        if (path.isEmpty() || path.startsWith("/") || Arrays.asList(path.split("/")).contains("..")) {
            return false;
        }
        return resultPaths.stream().anyMatch(result -> result.endsWith("/") ? path.startsWith(result) : path.equals(result));
    }

    private Map<String, Long> sizes() {
        Map<String, Long> sizes = new HashMap<>();
        byte[] file = entries.get("sizes");
        for (String line : file == null ? new String[0] : new String(file, StandardCharsets.UTF_8).split("\n")) {
            String[] parts = line.split(" ");
            if (parts.length == 2 && parts[1].matches("\\d{1,18}")) {
                sizes.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return sizes;
    }

    /** Regular files by name ("./" dropped), from a ustar or GNU tar (long names included); null if it is not one. */
    private static Map<String, byte[]> untar(byte[] tar) {
        Map<String, byte[]> files = new HashMap<>();
        String longName = null;
        for (int at = 0; at + BLOCK <= tar.length && tar[at] != 0; ) {
            long size = octal(tar, at + 124, 12);
            int data = at + BLOCK;
            if (size < 0 || size > tar.length - data) {
                return null;
            }
            byte[] content = Arrays.copyOfRange(tar, data, data + (int) size);
            char type = (char) tar[at + 156];
            if (type == 'L') {
                longName = text(content, 0, content.length);
            } else {
                if (type == '0' || type == 0) {
                    files.put(stripDot(longName != null ? longName : name(tar, at)), content);
                }
                longName = null;
            }
            at = data + (int) ((size + BLOCK - 1) / BLOCK * BLOCK);
        }
        return files;
    }

    /** The header's name; POSIX ustar headers may carry a prefix for long paths (GNU ones use 'L' entries). */
    private static String name(byte[] tar, int header) {
        String name = text(tar, header, 100);
        boolean posix = "ustar\u000000".equals(new String(tar, header + 257, 8, StandardCharsets.US_ASCII));
        String prefix = posix ? text(tar, header + 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String stripDot(String name) {
        return name.startsWith("./") ? name.substring(2) : name;
    }

    private static String text(byte[] bytes, int from, int length) {
        int end = from;
        while (end < from + length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    /** An octal header number (NUL- or space-padded); -1 if it is not one. */
    private static long octal(byte[] bytes, int from, int length) {
        String digits = new String(bytes, from, length, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
        return digits.matches("[0-7]{1,11}") ? Long.parseLong(digits, 8) : -1;
    }
}
