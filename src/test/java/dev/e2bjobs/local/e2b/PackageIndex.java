package dev.e2bjobs.local.e2b;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A PEP 503 "simple" index of wheels in a directory, which sandboxes get read-only and pip reads as a
 * file:// index. It counts as hosted at its host names (pypi.org and files.pythonhosted.org by
 * default): only a sandbox whose egress rules let it reach every one of them gets it.
 */
final class PackageIndex {
    /** The package every index has, so tests can install something without the internet. */
    static final Wheel PROBE = Wheel.pure("e2bjobs-probe", "1.0.0", Map.of("e2bjobs_probe.py", "VALUE = 42\n"));

    private final Path dir;
    private final List<String> hosts;

    private PackageIndex(Path dir, List<String> hosts) {
        this.dir = dir;
        this.hosts = List.copyOf(hosts);
    }

    /** Lays out the probe and any extra wheels in {@code dir}, with a page per project. */
    static PackageIndex build(Path dir, LocalE2bSettings.Packages settings) throws IOException {
        Files.createDirectories(dir);
        add(dir, PROBE);
        if (settings.wheelsDir() != null) {
            for (Path wheel : list(settings.wheelsDir(), ".whl")) {
                add(dir, new Wheel(wheel.getFileName().toString(), Files.readAllBytes(wheel)));
            }
        }
        writePages(dir);
        return new PackageIndex(dir, settings.indexHosts());
    }

    Path dir() {
        return dir;
    }

    boolean reachableBy(EgressRules rules) {
        return hosts.stream().allMatch(rules::allows);
    }

    private static void add(Path dir, Wheel wheel) throws IOException {
        Path project = Files.createDirectories(dir.resolve(wheel.project()));
        Files.write(project.resolve(wheel.fileName()), wheel.bytes());
    }

    /** The root page links every project; a project's page links its wheels with their sha256, as PyPI does. */
    private static void writePages(Path dir) throws IOException {
        StringBuilder projects = new StringBuilder();
        for (Path project : list(dir, "")) {
            String name = project.getFileName().toString();
            projects.append(link(name + "/", name));
            writeProjectPage(project);
        }
        Files.writeString(dir.resolve("index.html"), page(projects));
    }

    private static void writeProjectPage(Path project) throws IOException {
        StringBuilder wheels = new StringBuilder();
        for (Path wheel : list(project, ".whl")) {
            String name = wheel.getFileName().toString();
            String hash = HexFormat.of().formatHex(Wheel.sha256(Files.readAllBytes(wheel)));
            wheels.append(link(name + "#sha256=" + hash, name));
        }
        Files.writeString(project.resolve("index.html"), page(wheels));
    }

    private static String link(String href, String text) {
        return "<a href=\"" + href + "\">" + text + "</a><br>\n";
    }

    private static String page(CharSequence links) {
        return "<!DOCTYPE html>\n<html><body>\n" + links + "</body></html>\n";
    }

    /** Directories (suffix "") or files with the suffix, sorted by name. */
    private static List<Path> list(Path dir, String suffix) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> suffix.isEmpty() ? Files.isDirectory(p) : p.toString().endsWith(suffix)).sorted().toList();
        }
    }
}
