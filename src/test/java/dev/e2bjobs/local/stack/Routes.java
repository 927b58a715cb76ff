package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The functions, the HTTP API's routes and the schedule, read from template.yaml (the one source of
 * truth): every AWS::Serverless::Function with QUARKUS_FUNQY_EXPORT (by that name, with or without
 * events), its ReservedConcurrentExecutions, and its HttpApi and Schedule events.
 */
record Routes(List<String> functions, List<Route> http, List<String> scheduled, Map<String, Integer> reservedConcurrency) {

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
        Routes routes = new Routes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new HashMap<>());
        new YAMLMapper().readTree(template.toFile()).path("Resources").forEach(resource -> {
            JsonNode properties = resource.path("Properties");
            String function = properties.path("Environment").path("Variables").path("QUARKUS_FUNQY_EXPORT").asText("");
            if (resource.path("Type").asText().equals("AWS::Serverless::Function") && !function.isEmpty()) {
                routes.add(function, properties);
            }
        });
        Collections.sort(routes.functions());
        // literal segments before parameters: /jobs/batch must win over /jobs/{jobId}
        routes.http().sort(Comparator.comparingLong(route -> route.path().chars().filter(c -> c == '{').count()));
        return routes;
    }

    /** One function: its name, its reserved concurrency if it has one, its events. */
    private void add(String function, JsonNode properties) {
        functions.add(function);
        if (properties.has("ReservedConcurrentExecutions")) {
            reservedConcurrency.put(function, properties.path("ReservedConcurrentExecutions").asInt());
        }
        properties.path("Events").forEach(event -> {
            switch (event.path("Type").asText()) {
                case "HttpApi" -> http.add(new Route(event.path("Properties").path("Method").asText().toUpperCase(Locale.ROOT),
                        event.path("Properties").path("Path").asText(), function));
                case "Schedule" -> scheduled.add(function);
                default -> { }
            }
        });
    }
}
