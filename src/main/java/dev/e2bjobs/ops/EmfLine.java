package dev.e2bjobs.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One CloudWatch embedded metric format (EMF) document: a JSON object on a log line of its own,
 * from which CloudWatch Logs extracts the metrics named under {@code _aws.CloudWatchMetrics}. Every
 * metric is dimensioned by the deployment, and optionally by more dimensions of this line; metrics
 * with the same dimensions share one directive. Properties are logged alongside for searching
 * (job ids), and never become metrics.
 */
public final class EmfLine {
    public static final String NAMESPACE = "e2b-jobs";
    public static final String DEPLOYMENT = "deployment";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The CloudWatch units this project uses. */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds"), SECONDS("Seconds"), PERCENT("Percent");

        final String cloudWatch;

        Unit(String cloudWatch) {
            this.cloudWatch = cloudWatch;
        }
    }

    private record Metric(String name, Unit unit, double value, List<String> dimensions) {
    }

    private final Instant timestamp;
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<Metric> metrics = new ArrayList<>();

    public EmfLine(String deployment, Instant timestamp) {
        this.timestamp = timestamp;
        dimensions.put(DEPLOYMENT, deployment);
    }

    /** A dimension's value on this line (an empty value would be dropped by CloudWatch: "NONE" instead). */
    public EmfLine dimension(String name, String value) {
        dimensions.put(name, value == null || value.isEmpty() ? "NONE" : value);
        return this;
    }

    /** A member that is searchable in the logs but is no metric and no dimension. */
    public EmfLine property(String name, Object value) {
        if (value != null) {
            properties.put(name, value);
        }
        return this;
    }

    /** A metric dimensioned by the deployment and {@code byDimensions} (each set on this line). */
    public EmfLine metric(String name, Unit unit, double value, String... byDimensions) {
        for (String dimension : byDimensions) {
            if (!dimensions.containsKey(dimension)) {
                throw new IllegalArgumentException("metric " + name + ": no value for dimension " + dimension);
            }
        }
        metrics.add(new Metric(name, unit, value, List.of(byDimensions)));
        return this;
    }

    public boolean isEmpty() {
        return metrics.isEmpty();
    }

    /** The document as one line of JSON. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", timestamp.toEpochMilli());
        ArrayNode directives = aws.putArray("CloudWatchMetrics");
        Map<List<String>, ArrayNode> byDimensions = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            ArrayNode definitions = byDimensions.computeIfAbsent(metric.dimensions(), extra -> {
                ObjectNode directive = directives.addObject().put("Namespace", NAMESPACE);
                ArrayNode set = directive.putArray("Dimensions").addArray().add(DEPLOYMENT);
                extra.forEach(set::add);
                return directive.putArray("Metrics");
            });
            definitions.addObject().put("Name", metric.name()).put("Unit", metric.unit().cloudWatch);
        }
        dimensions.forEach(root::put);
        properties.forEach((name, value) -> root.set(name, JSON.valueToTree(value)));
        for (Metric metric : metrics) {
            if (metric.value() == Math.rint(metric.value())) {
                root.put(metric.name(), (long) metric.value());
            } else {
                root.put(metric.name(), metric.value());
            }
        }
        return root.toString();
    }
}
