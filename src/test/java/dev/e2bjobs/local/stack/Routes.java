package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.e2bjobs.local.s3.S3Notifications;
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
 * events), its ReservedConcurrentExecutions where it is a number, and its HttpApi, Schedule and S3 events (an S3 event's
 * ObjectCreated key filter, by function; a filter value {@code !Ref Param} is that Parameter's Default).
 */
record Routes(List<String> functions, List<Route> http, List<String> scheduled, Map<String, Integer> reservedConcurrency,
        Map<String, List<S3Notifications.Rule>> s3) {

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
        Routes routes = new Routes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new HashMap<>(), new HashMap<>());
        JsonNode root = new YAMLMapper().readTree(template.toFile());
        JsonNode parameters = root.path("Parameters");
        root.path("Resources").forEach(resource -> {
            JsonNode properties = resource.path("Properties");
            String function = properties.path("Environment").path("Variables").path("QUARKUS_FUNQY_EXPORT").asText("");
            if (resource.path("Type").asText().equals("AWS::Serverless::Function") && !function.isEmpty()) {
                routes.add(function, properties, parameters);
            }
        });
        Collections.sort(routes.functions());
        // literal segments before parameters: /jobs/batch must win over /jobs/{jobId}
        routes.http().sort(Comparator.comparingLong(route -> route.path().chars().filter(c -> c == '{').count()));
        return routes;
    }

    /** One function: its name, its reserved concurrency if it has one, its events. */
    private void add(String function, JsonNode properties, JsonNode parameters) {
        functions.add(function);
        // a number reserves; anything else (an !If on a parameter, which YAMLMapper reads as a list) leaves the local default
        if (properties.path("ReservedConcurrentExecutions").canConvertToInt()) {
            reservedConcurrency.put(function, properties.path("ReservedConcurrentExecutions").asInt());
        }
        properties.path("Events").properties().forEach(named -> {
            JsonNode event = named.getValue();
            switch (event.path("Type").asText()) {
                case "HttpApi" -> http.add(new Route(event.path("Properties").path("Method").asText().toUpperCase(Locale.ROOT),
                        event.path("Properties").path("Path").asText(), function));
                case "Schedule" -> scheduled.add(function);
                case "S3" -> {
                    if (objectCreated(event.path("Properties").path("Events"))) {
                        s3.computeIfAbsent(function, f -> new ArrayList<>()).add(s3Rule(named.getKey(), event.path("Properties"), parameters));
                    }
                }
                default -> { }
            }
        });
    }

    /** Whether an S3 event's Events (one name or a list) include object creation. */
    private static boolean objectCreated(JsonNode events) {
        List<JsonNode> names = new ArrayList<>();
        (events.isArray() ? events : List.of(events)).forEach(names::add);
        return names.stream().anyMatch(name -> name.asText().startsWith("s3:ObjectCreated:"));
    }

    /** An S3 event's key filter: its prefix and suffix rules (empty when absent). */
    private static S3Notifications.Rule s3Rule(String id, JsonNode properties, JsonNode parameters) {
        Map<String, String> rules = new HashMap<>();
        properties.path("Filter").path("S3Key").path("Rules").forEach(rule ->
                rules.put(rule.path("Name").asText().toLowerCase(Locale.ROOT), resolve(rule.path("Value").asText(), parameters)));
        return new S3Notifications.Rule(id, rules.getOrDefault("prefix", ""), rules.getOrDefault("suffix", ""));
    }

    /**
     * A scalar as the template means it: YAMLMapper drops the {@code !Ref} tag and leaves the name, so
     * a name of one of the template's Parameters stands for that Parameter's Default.
     */
    private static String resolve(String value, JsonNode parameters) {
        return parameters.path(value).has("Default") ? parameters.path(value).path("Default").asText() : value;
    }
}
