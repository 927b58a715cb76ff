package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The HTTP API's routes and the scheduled functions, read from template.yaml (the one source of
 * truth): each AWS::Serverless::Function with QUARKUS_FUNQY_EXPORT and its HttpApi / Schedule events.
 */
record Routes(List<Route> http, List<String> scheduled) {

    /** METHOD /path/{param} → the function export that serves it. */
    record Route(String method, String path, String function) {

        String routeKey() {
            return method + " " + path;
        }

        /** The path parameters if {@code requestPath} matches, else empty. */
        Optional<Map<String, String>> match(String requestMethod, String requestPath) {
            if (!method.equals(requestMethod)) {
                return Optional.empty();
            }
            String[] pattern = path.split("/", -1);
            String[] actual = requestPath.split("/", -1);
            if (pattern.length != actual.length) {
                return Optional.empty();
            }
            Map<String, String> parameters = new java.util.LinkedHashMap<>();
            for (int i = 0; i < pattern.length; i++) {
                if (pattern[i].startsWith("{") && pattern[i].endsWith("}") && !actual[i].isEmpty()) {
                    parameters.put(pattern[i].substring(1, pattern[i].length() - 1), actual[i]);
                } else if (!pattern[i].equals(actual[i])) {
                    return Optional.empty();
                }
            }
            return Optional.of(parameters);
        }
    }

    static Routes read(Path template) throws IOException {
        JsonNode resources = new YAMLMapper().readTree(template.toFile()).path("Resources");
        List<Route> http = new ArrayList<>();
        List<String> scheduled = new ArrayList<>();
        resources.forEach(resource -> {
            if (!resource.path("Type").asText().equals("AWS::Serverless::Function")) {
                return;
            }
            JsonNode properties = resource.path("Properties");
            String function = properties.path("Environment").path("Variables").path("QUARKUS_FUNQY_EXPORT").asText();
            properties.path("Events").forEach(event -> {
                switch (event.path("Type").asText()) {
                    case "HttpApi" -> http.add(new Route(event.path("Properties").path("Method").asText().toUpperCase(java.util.Locale.ROOT),
                            event.path("Properties").path("Path").asText(), function));
                    case "Schedule" -> scheduled.add(function);
                    default -> { }
                }
            });
        });
        // literal segments before parameters: /jobs/batch must win over /jobs/{jobId}
        http.sort((a, b) -> Long.compare(a.path().chars().filter(c -> c == '{').count(), b.path().chars().filter(c -> c == '{').count()));
        return new Routes(http, scheduled);
    }

    /** Every function that serves something. */
    List<String> functions() {
        TreeSet<String> all = new TreeSet<>(scheduled);
        http.forEach(route -> all.add(route.function()));
        return List.copyOf(all);
    }
}
