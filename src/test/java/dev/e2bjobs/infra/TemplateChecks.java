package dev.e2bjobs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import software.amazon.awssdk.enhanced.dynamodb.TableMetadata;
import software.amazon.awssdk.enhanced.dynamodb.IndexMetadata;

/**
 * The checks of template.yaml, each a function of a parsed template (and of what the code declares)
 * to the problems it finds: an empty list is a pass. TemplateTest runs them on the template and on
 * copies with a defect planted in each.
 */
final class TemplateChecks {
    static final String FUNCTION = "AWS::Serverless::Function";
    static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
            "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");
    /**
     * Names SAM generates (not in the template) that the template may refer to: each function's
     * execution role ({@code <Function>Role}). Nothing refers to one today; add others here with the reason.
     */
    static Set<String> samGenerated(SamTemplate template) {
        Set<String> names = new HashSet<>();
        template.resources().properties().forEach(resource -> {
            if (FUNCTION.equals(resource.getValue().path("Type").asText())) {
                names.add(resource.getKey() + "Role");
            }
        });
        return names;
    }

    /**
     * Actions IAM authorizes only on {@code Resource: '*'} (no resource-level permissions): the one
     * place a '*' is allowed, and then only with a comment on the statement saying so.
     */
    static final Set<String> STAR_ONLY_ACTIONS = Set.of("cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
            "xray:GetSamplingRules", "xray:GetSamplingTargets", "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces",
            "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses");

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    private TemplateChecks() {
    }

    // ---- 1. the SAM schema ------------------------------------------------------------------

    /**
     * The template against SAM's schema. The template declares AWS::LanguageExtensions, which resolves
     * every Fn::If before SAM sees the template (SAM itself takes only a literal in places such as the
     * HttpApi's DefaultAuthorizer, and the schema says so). So each Fn::If is resolved as
     * LanguageExtensions would, for every combination of its conditions (AWS::NoValue drops the
     * property), and each resolution must pass.
     */
    static List<String> schema(SamTemplate template, JsonSchema schema) {
        Set<String> problems = new LinkedHashSet<>();
        List<String> conditions = new ArrayList<>(ifConditions(template.root(), new TreeSet<>()));
        for (int choice = 0; choice < 1 << conditions.size(); choice++) {
            Map<String, Boolean> values = new LinkedHashMap<>();
            for (int i = 0; i < conditions.size(); i++) {
                values.put(conditions.get(i), (choice & 1 << i) != 0);
            }
            JsonNode resolved = resolveIfs(template.root().deepCopy(), values);
            for (ValidationMessage message : schema.validate(resolved)) {
                problems.add(message.getMessage() + (values.isEmpty() ? "" : " (with " + values + ")"));
            }
        }
        return List.copyOf(problems);
    }

    private static Set<String> ifConditions(JsonNode node, Set<String> found) {
        if (node.isObject() && node.size() == 1 && node.has("Fn::If")) {
            found.add(node.path("Fn::If").path(0).asText());
        }
        node.forEach(child -> ifConditions(child, found));
        return found;
    }

    /** The node with each Fn::If replaced by its chosen branch; null where that branch is AWS::NoValue. */
    private static JsonNode resolveIfs(JsonNode node, Map<String, Boolean> values) {
        if (node.isObject() && node.size() == 1 && node.has("Fn::If")) {
            JsonNode chosen = node.path("Fn::If").path(values.get(node.path("Fn::If").path(0).asText()) ? 1 : 2);
            return "AWS::NoValue".equals(chosen.path("Ref").asText(null)) ? null : resolveIfs(chosen, values);
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode resolved = resolveIfs(field.getValue(), values);
                if (resolved == null) {
                    fields.remove();
                } else {
                    field.setValue(resolved);
                }
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = array.size() - 1; i >= 0; i--) {
                JsonNode resolved = resolveIfs(array.get(i), values);
                if (resolved == null) {
                    array.remove(i);
                } else {
                    array.set(i, resolved);
                }
            }
        }
        return node;
    }

    // ---- 2. references ----------------------------------------------------------------------

    /** Every Ref, GetAtt, Sub variable and condition names something the template (or AWS, or SAM) defines. */
    static List<String> references(SamTemplate template) {
        return new References(template).walkAll().problems;
    }

    /** Every Parameter and every Condition is used somewhere. */
    static List<String> unused(SamTemplate template) {
        References references = new References(template).walkAll();
        List<String> problems = new ArrayList<>();
        template.root().path("Parameters").fieldNames().forEachRemaining(name -> {
            if (!references.used.contains(name)) {
                problems.add("parameter " + name + " is never used");
            }
        });
        template.root().path("Conditions").fieldNames().forEachRemaining(name -> {
            if (!references.usedConditions.contains(name)) {
                problems.add("condition " + name + " is never used");
            }
        });
        return problems;
    }

    private static final class References {
        final SamTemplate template;
        final Set<String> resources = new HashSet<>();
        final Set<String> parameters = new HashSet<>();
        final Set<String> conditions = new HashSet<>();
        final Set<String> used = new HashSet<>();
        final Set<String> usedConditions = new HashSet<>();
        final List<String> problems = new ArrayList<>();

        References(SamTemplate template) {
            this.template = template;
            template.root().path("Resources").fieldNames().forEachRemaining(resources::add);
            resources.addAll(samGenerated(template));
            template.root().path("Parameters").fieldNames().forEachRemaining(parameters::add);
            template.root().path("Conditions").fieldNames().forEachRemaining(conditions::add);
        }

        References walkAll() {
            for (String section : List.of("Globals", "Conditions", "Resources", "Outputs")) {
                walk(template.root().path(section), "/" + section, Set.of());
            }
            template.root().path("Resources").properties().forEach(resource -> {
                JsonNode condition = resource.getValue().path("Condition");
                if (condition.isTextual()) {
                    condition(condition.asText(), "/Resources/" + resource.getKey() + "/Condition");
                }
            });
            return this;
        }

        private void walk(JsonNode node, String at, Set<String> locals) {
            if (node.isObject() && node.size() == 1) {
                String function = node.fieldNames().next();
                JsonNode argument = node.path(function);
                switch (function) {
                    case "Ref" -> {
                        name(argument.asText(), at, locals);
                        return;
                    }
                    case "Fn::GetAtt" -> {
                        resource(argument.path(0).asText(), at);
                        return;
                    }
                    case "Fn::Sub" -> {
                        Set<String> subLocals = new HashSet<>();
                        if (argument.isArray()) {
                            argument.path(1).properties().forEach(variable -> {
                                subLocals.add(variable.getKey());
                                walk(variable.getValue(), at + "/" + variable.getKey(), locals);
                            });
                        }
                        Matcher variables = SUB_VARIABLE.matcher(argument.isArray() ? argument.path(0).asText() : argument.asText());
                        while (variables.find()) {
                            String variable = variables.group(1).strip();
                            if (subLocals.contains(variable)) {
                                continue;
                            }
                            int dot = variable.indexOf('.');
                            if (dot > 0) {
                                resource(variable.substring(0, dot), at);
                            } else {
                                name(variable, at, Set.of());
                            }
                        }
                        return;
                    }
                    case "Fn::If" -> {
                        condition(argument.path(0).asText(), at);
                        walk(argument.path(1), at + "/1", locals);
                        walk(argument.path(2), at + "/2", locals);
                        return;
                    }
                    case "Condition" -> {
                        if (argument.isTextual() && at.startsWith("/Conditions")) {
                            condition(argument.asText(), at);
                            return;
                        }
                    }
                    default -> { }
                }
            }
            node.properties().forEach(field -> walk(field.getValue(), at + "/" + field.getKey(), locals));
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), at + "/" + i, locals);
                }
            }
        }

        private void name(String name, String at, Set<String> locals) {
            if (resources.contains(name) || parameters.contains(name) || PSEUDO_PARAMETERS.contains(name) || locals.contains(name)) {
                used.add(name);
            } else {
                problems.add(at + ": " + name + " is neither a parameter nor a resource");
            }
        }

        private void resource(String name, String at) {
            if (resources.contains(name)) {
                used.add(name);
            } else {
                problems.add(at + ": " + name + " is not a resource (GetAtt)");
            }
        }

        private void condition(String name, String at) {
            if (conditions.contains(name)) {
                usedConditions.add(name);
            } else {
                problems.add(at + ": " + name + " is not a condition");
            }
        }
    }

    // ---- 3. the template and the code -------------------------------------------------------

    /** Each function's QUARKUS_FUNQY_EXPORT names an @Funq method of the code. */
    static List<String> exports(SamTemplate template, SourceFacts code) {
        List<String> problems = new ArrayList<>();
        functions(template).forEach((name, properties) -> {
            Optional<String> export = export(properties);
            if (export.isEmpty()) {
                problems.add(name + " has no QUARKUS_FUNQY_EXPORT");
            } else if (!code.routes().containsKey(export.get())) {
                problems.add(name + " exports " + export.get() + ", which no @Funq method is named");
            }
        });
        return problems;
    }

    /**
     * Each HttpApi event is a route its function's code serves (a {@code case "METHOD /path"} of the
     * class holding the exported @Funq), and each route the code serves has its event.
     */
    static List<String> routes(SamTemplate template, SourceFacts code) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> declared = new HashMap<>();
        functions(template).forEach((name, properties) -> export(properties).ifPresent(export -> {
            Set<String> served = code.routes().getOrDefault(export, Set.of());
            properties.path("Events").properties().forEach(event -> {
                if ("HttpApi".equals(event.getValue().path("Type").asText())) {
                    JsonNode api = event.getValue().path("Properties");
                    String route = api.path("Method").asText().toUpperCase(java.util.Locale.ROOT) + " " + api.path("Path").asText();
                    declared.computeIfAbsent(export, e -> new HashSet<>()).add(route);
                    if (!served.contains(route)) {
                        problems.add(name + "." + event.getKey() + ": " + route + " is not a route " + export + " serves " + served);
                    }
                }
            });
        }));
        code.routes().forEach((export, served) -> served.forEach(route -> {
            if (!declared.getOrDefault(export, Set.of()).contains(route)) {
                problems.add(export + " serves " + route + ", but no HttpApi event of a function exporting it does");
            }
        }));
        return problems;
    }

    /** S3 events go to the function exporting ingest, schedules to sweep's; and both have theirs. */
    static List<String> eventTargets(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        Map<String, String> expected = Map.of("S3", "ingest", "Schedule", "sweep");
        Set<String> seen = new HashSet<>();
        functions(template).forEach((name, properties) -> {
            String export = export(properties).orElse("");
            properties.path("Events").properties().forEach(event -> {
                String type = event.getValue().path("Type").asText();
                if (expected.containsKey(type)) {
                    seen.add(type);
                    if (!expected.get(type).equals(export)) {
                        problems.add(name + "." + event.getKey() + ": a " + type + " event goes to " + export + ", not "
                                + expected.get(type));
                    }
                }
            });
        });
        expected.forEach((type, export) -> {
            if (!seen.contains(type)) {
                problems.add("no " + type + " event reaches " + export);
            }
        });
        return problems;
    }

    /**
     * Every policy is scoped to the stack's own resources: policy templates take their parameters
     * (per SAM's policy_templates.json) as references to the stack's resources or parameters, or as
     * names built from the stack's name; inline statements name them likewise. {@code Resource: '*'}
     * (inline, or inside a policy template) only for actions IAM takes on nothing narrower, with a comment.
     */
    static List<String> policies(SamTemplate template, JsonNode policyTemplates) {
        List<String> problems = new ArrayList<>();
        Scope scope = new Scope(template);
        functions(template).forEach((name, properties) -> {
            JsonNode policies = properties.path("Policies");
            List<JsonNode> entries = new ArrayList<>();
            if (policies.isArray()) {
                policies.forEach(entries::add);
            } else if (!policies.isMissingNode()) {
                entries.add(policies);
            }
            for (int i = 0; i < entries.size(); i++) {
                JsonNode entry = entries.get(i);
                String at = name + ".Policies[" + i + "]";
                String pointer = "/Resources/" + name + "/Properties/Policies" + (policies.isArray() ? "/" + i : "");
                if (entry.isTextual()) {
                    problems.add(at + ": managed policy " + entry.asText() + " is not scoped to the stack");
                } else if (entry.has("Statement")) {
                    JsonNode statements = entry.path("Statement");
                    for (int s = 0; s < (statements.isArray() ? statements.size() : 1); s++) {
                        JsonNode statement = statements.isArray() ? statements.get(s) : statements;
                        String statementPointer = pointer + "/Statement" + (statements.isArray() ? "/" + s : "");
                        problems.addAll(statement(statement, at + ".Statement[" + s + "]", template.commented().contains(statementPointer), scope));
                    }
                } else if (entry.size() == 1) {
                    String policy = entry.fieldNames().next();
                    JsonNode definition = policyTemplates.path("Templates").path(policy);
                    if (definition.isMissingNode()) {
                        problems.add(at + ": " + policy + " is no SAM policy template");
                        continue;
                    }
                    Set<String> wanted = new TreeSet<>();
                    definition.path("Parameters").fieldNames().forEachRemaining(wanted::add);
                    Set<String> given = new TreeSet<>();
                    entry.path(policy).fieldNames().forEachRemaining(given::add);
                    if (!wanted.equals(given)) {
                        problems.add(at + ": " + policy + " takes " + wanted + ", not " + given);
                    }
                    entry.path(policy).properties().forEach(argument -> {
                        if (!scope.scoped(argument.getValue())) {
                            problems.add(at + ": " + policy + "." + argument.getKey() + " " + argument.getValue()
                                    + " is not one of the stack's own resources");
                        }
                    });
                    definition.path("Definition").path("Statement").forEach(statement -> {
                        if (stars(statement.path("Resource"))) {
                            // the template's own resources are its parameters (checked above); only its '*' is left
                            problems.addAll(statement(statement, at + " (" + policy + ")", template.commented().contains(pointer), null));
                        }
                    });
                } else {
                    problems.add(at + ": neither a policy template nor a policy document: " + entry);
                }
            }
        });
        return problems;
    }

    private static List<String> statement(JsonNode statement, String at, boolean commented, Scope scope) {
        List<String> problems = new ArrayList<>();
        if ("Deny".equals(statement.path("Effect").asText())) {
            return problems;
        }
        if (statement.has("NotResource") || statement.has("NotAction")) {
            problems.add(at + ": NotResource/NotAction grants more than it names");
        }
        JsonNode resources = statement.path("Resource");
        for (JsonNode resource : resources.isArray() ? resources : List.of(resources)) {
            if (resource.isTextual() && resource.asText().equals("*")) {
                Set<String> actions = new TreeSet<>();
                JsonNode action = statement.path("Action");
                (action.isArray() ? action : List.of(action)).forEach(a -> actions.add(a.asText()));
                if (!STAR_ONLY_ACTIONS.containsAll(actions)) {
                    problems.add(at + ": Resource '*' for " + actions + ", which IAM can scope");
                } else if (!commented) {
                    problems.add(at + ": Resource '*' (required for " + actions + ") needs a comment saying so");
                }
            } else if (scope != null && !scope.scoped(resource)) {
                problems.add(at + ": resource " + resource + " is not one of the stack's own");
            }
        }
        return problems;
    }

    private static boolean stars(JsonNode resources) {
        return StreamSupport.stream((resources.isArray() ? resources : List.of(resources)).spliterator(), false)
                .anyMatch(resource -> resource.isTextual() && resource.asText().equals("*"));
    }

    /** What counts as the stack's own: its resources, its parameters (the operator's secret), names built on the stack's id or name. */
    private record Scope(Set<String> resources, Set<String> parameters) {
        private static final Set<String> STACK = Set.of("AWS::StackName", "AWS::StackId");

        Scope(SamTemplate template) {
            this(names(template.root().path("Resources")), names(template.root().path("Parameters")));
        }

        private static Set<String> names(JsonNode section) {
            Set<String> names = new HashSet<>();
            section.fieldNames().forEachRemaining(names::add);
            return names;
        }

        boolean scoped(JsonNode value) {
            if (value.has("Ref")) {
                String name = value.path("Ref").asText();
                return resources.contains(name) || parameters.contains(name) || STACK.contains(name);
            }
            if (value.has("Fn::GetAtt")) {
                return resources.contains(value.path("Fn::GetAtt").path(0).asText());
            }
            if (value.has("Fn::Sub")) {
                JsonNode argument = value.path("Fn::Sub");
                Matcher variables = SUB_VARIABLE.matcher(argument.isArray() ? argument.path(0).asText() : argument.asText());
                while (variables.find()) {
                    String variable = variables.group(1).strip();
                    String name = variable.contains(".") ? variable.substring(0, variable.indexOf('.')) : variable;
                    JsonNode local = argument.path(1).path(variable);
                    if (resources.contains(name) || parameters.contains(name) || STACK.contains(name)
                            || !local.isMissingNode() && mentionsStack(local)) {
                        return true;
                    }
                }
                return false;
            }
            if (value.has("Fn::Join")) {
                return StreamSupport.stream(value.path("Fn::Join").path(1).spliterator(), false).anyMatch(this::scoped);
            }
            return false;
        }

        private boolean mentionsStack(JsonNode node) {
            return scoped(node) || StreamSupport.stream(node.spliterator(), false).anyMatch(this::mentionsStack);
        }
    }

    /**
     * The table's keys and indexes are the ones the DynamoDB adapter's schemas declare (the jobs' and
     * the idempotency records', which share the table), with the summary projection of the owner index,
     * and its TTL attribute is one both item kinds carry.
     */
    static List<String> table(SamTemplate template, TableMetadata jobs, TableMetadata idempotency, List<String> summaryAttributes,
            String summaryIndex, Set<String> ttlCarriers) {
        List<String> problems = new ArrayList<>();
        JsonNode table = template.resource("JobsTable").path("Properties");
        Map<String, String> key = keys(table.path("KeySchema"));
        Map<String, String> wantedKey = new LinkedHashMap<>();
        wantedKey.put("HASH", jobs.primaryPartitionKey());
        jobs.primarySortKey().ifPresent(sort -> wantedKey.put("RANGE", sort));
        if (!key.equals(wantedKey)) {
            problems.add("JobsTable's key " + key + " is not the jobs' " + wantedKey);
        }
        if (!idempotency.primaryPartitionKey().equals(key.get("HASH"))) {
            problems.add("JobsTable's partition key " + key.get("HASH") + " is not the idempotency records' " + idempotency.primaryPartitionKey());
        }
        Map<String, JsonNode> indexes = new LinkedHashMap<>();
        table.path("GlobalSecondaryIndexes").forEach(index -> indexes.put(index.path("IndexName").asText(), index));
        Set<String> wantedIndexes = new TreeSet<>();
        for (IndexMetadata index : jobs.indices()) {
            if (!index.name().equals(TableMetadata.primaryIndexName())) {
                wantedIndexes.add(index.name());
            }
        }
        if (!wantedIndexes.equals(new TreeSet<>(indexes.keySet()))) {
            problems.add("JobsTable's indexes " + new TreeSet<>(indexes.keySet()) + " are not the adapter's " + wantedIndexes);
        }
        Set<String> keyAttributes = new TreeSet<>(key.values());
        indexes.forEach((name, index) -> {
            if (!wantedIndexes.contains(name)) {
                return;
            }
            Map<String, String> indexKey = keys(index.path("KeySchema"));
            keyAttributes.addAll(indexKey.values());
            Map<String, String> wanted = new LinkedHashMap<>();
            wanted.put("HASH", jobs.indexPartitionKey(name));
            jobs.indexSortKey(name).ifPresent(sort -> wanted.put("RANGE", sort));
            if (!indexKey.equals(wanted)) {
                problems.add("index " + name + "'s key " + indexKey + " is not the adapter's " + wanted);
            }
        });
        JsonNode summary = indexes.getOrDefault(summaryIndex, com.fasterxml.jackson.databind.node.MissingNode.getInstance()).path("Projection");
        List<String> projected = new ArrayList<>();
        summary.path("NonKeyAttributes").forEach(attribute -> projected.add(attribute.asText()));
        if (!"INCLUDE".equals(summary.path("ProjectionType").asText()) || !new TreeSet<>(projected).equals(new TreeSet<>(summaryAttributes))) {
            problems.add("index " + summaryIndex + " projects " + summary + ", not INCLUDE " + summaryAttributes);
        }
        Set<String> defined = new TreeSet<>();
        table.path("AttributeDefinitions").forEach(attribute -> defined.add(attribute.path("AttributeName").asText()));
        if (!defined.equals(keyAttributes)) {
            problems.add("JobsTable defines attributes " + defined + ", its keys are " + keyAttributes);
        }
        String ttl = table.path("TimeToLiveSpecification").path("AttributeName").asText();
        if (!ttlCarriers.contains(ttl)) {
            problems.add("JobsTable's TTL attribute " + ttl + " is not the items' " + ttlCarriers);
        }
        return problems;
    }

    private static Map<String, String> keys(JsonNode keySchema) {
        Map<String, String> keys = new LinkedHashMap<>();
        keySchema.forEach(element -> keys.put(element.path("KeyType").asText(), element.path("AttributeName").asText()));
        return keys;
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** The template's functions by logical id: their Properties. */
    static Map<String, JsonNode> functions(SamTemplate template) {
        Map<String, JsonNode> functions = new LinkedHashMap<>();
        template.resources().properties().forEach(resource -> {
            if (FUNCTION.equals(resource.getValue().path("Type").asText())) {
                functions.put(resource.getKey(), resource.getValue().path("Properties"));
            }
        });
        return functions;
    }

    static Optional<String> export(JsonNode properties) {
        JsonNode export = properties.path("Environment").path("Variables").path("QUARKUS_FUNQY_EXPORT");
        return export.isTextual() ? Optional.of(export.asText()) : Optional.empty();
    }
}
