package dev.e2bjobs.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the code declares, read from its sources: each {@code @Funq} export (its name, or the method's)
 * with the HTTP routes its class serves, the {@code case "METHOD /path"} labels after it (the functions
 * switch on {@code request.route()}).
 */
record SourceFacts(Map<String, Set<String>> routes) {
    private static final Pattern FUNQ = Pattern.compile("@Funq(?:\\s*\\(\\s*\"([^\"]+)\"\\s*\\))?\\s+(?:public\\s+)?[\\w<>\\[\\],.? ]+?\\s+(\\w+)\\s*\\(");
    private static final Pattern ROUTE = Pattern.compile("case\\s+\"([A-Z]+ /[^\"]*)\"");

    static SourceFacts scan(Path sources) throws IOException {
        Map<String, Set<String>> routes = new HashMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                read(Files.readString(file), routes);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new SourceFacts(routes);
    }

    /** One source file: each export owns the route labels between it and the next @Funq. */
    static void read(String source, Map<String, Set<String>> routes) {
        Matcher funq = FUNQ.matcher(source);
        while (funq.find()) {
            String export = funq.group(1) != null ? funq.group(1) : funq.group(2);
            int end = source.indexOf("@Funq", funq.end());
            Matcher route = ROUTE.matcher(source.substring(funq.end(), end < 0 ? source.length() : end));
            Set<String> served = routes.computeIfAbsent(export, e -> new TreeSet<>());
            while (route.find()) {
                served.add(route.group(1));
            }
        }
    }
}
