package dev.e2bjobs.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * template.yaml as CloudFormation reads it: every short tag in its long form ({@code !Ref X} →
 * {@code {"Ref": "X"}}, {@code !GetAtt A.B} → {@code {"Fn::GetAtt": ["A", "B"]}}, {@code !Sub s} →
 * {@code {"Fn::Sub": s}}, …) and plain scalars typed as YAML types them. Jackson's YAMLMapper drops
 * the tags, so this reads SnakeYAML's node tree. {@code commented} holds the JSON pointers of the
 * mappings that carry a comment (on one of their lines, or on a comment line right above them): the
 * one place a reason such as "AWS takes no narrower resource here" can be written.
 */
record SamTemplate(ObjectNode root, Set<String> commented) {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** A '#' that starts a comment: at the line's start or after a blank (none of our strings holds " #"). */
    private static final Pattern COMMENT = Pattern.compile("(^|\\s)#");

    static SamTemplate read(Path file) throws IOException {
        return parse(Files.readString(file));
    }

    static SamTemplate parse(String yaml) {
        String[] lines = yaml.split("\n", -1);
        Set<Integer> commentLines = new HashSet<>();
        Set<Integer> commentOnlyLines = new HashSet<>();
        for (int i = 0; i < lines.length; i++) {
            if (COMMENT.matcher(lines[i]).find()) {
                commentLines.add(i);
                if (lines[i].strip().startsWith("#")) {
                    commentOnlyLines.add(i);
                }
            }
        }
        Set<String> commented = new HashSet<>();
        JsonNode root = new Converter(commentLines, commentOnlyLines, commented).convert(new Yaml().compose(new StringReader(yaml)), "");
        return new SamTemplate((ObjectNode) root, commented);
    }

    /** A deep copy to plant a defect in; the comments stay where they were. */
    SamTemplate copy() {
        return new SamTemplate(root.deepCopy(), commented);
    }

    ObjectNode resources() {
        return (ObjectNode) root.path("Resources");
    }

    ObjectNode resource(String name) {
        return (ObjectNode) root.path("Resources").path(name);
    }

    private record Converter(Set<Integer> commentLines, Set<Integer> commentOnlyLines, Set<String> commented) {

        JsonNode convert(Node node, String pointer) {
            String tag = node.getTag().getValue();
            if (tag.startsWith("!")) {
                return intrinsic(tag.substring(1), node, pointer);
            }
            return plain(node, pointer);
        }

        private JsonNode plain(Node node, String pointer) {
            if (node instanceof MappingNode mapping) {
                ObjectNode object = JSON.objectNode();
                for (NodeTuple tuple : mapping.getValue()) {
                    String key = ((ScalarNode) tuple.getKeyNode()).getValue();
                    object.set(key, convert(tuple.getValueNode(), pointer + "/" + key.replace("~", "~0").replace("/", "~1")));
                }
                if (hasComment(node)) {
                    commented.add(pointer);
                }
                return object;
            }
            if (node instanceof SequenceNode sequence) {
                ArrayNode array = JSON.arrayNode();
                for (int i = 0; i < sequence.getValue().size(); i++) {
                    array.add(convert(sequence.getValue().get(i), pointer + "/" + i));
                }
                return array;
            }
            ScalarNode scalar = (ScalarNode) node;
            Tag tag = scalar.getTag();
            String value = scalar.getValue();
            if (Tag.INT.equals(tag)) {
                return JSON.numberNode(Long.parseLong(value.replace("_", "")));
            } else if (Tag.FLOAT.equals(tag)) {
                return JSON.numberNode(Double.parseDouble(value));
            } else if (Tag.BOOL.equals(tag)) {
                return JSON.booleanNode(Set.of("true", "yes", "on").contains(value.toLowerCase(java.util.Locale.ROOT)));
            } else if (Tag.NULL.equals(tag)) {
                return JSON.nullNode();
            }
            return JSON.textNode(value);
        }

        /** A short-form intrinsic function in its long form. */
        private JsonNode intrinsic(String name, Node node, String pointer) {
            // a tagged scalar is the function's argument as a string, whatever it looks like (!Ref 2 is "2")
            JsonNode argument = node instanceof ScalarNode scalar ? JSON.textNode(scalar.getValue()) : plain(node, pointer);
            if (name.equals("GetAtt") && argument.isTextual()) {
                String[] parts = argument.asText().split("\\.", 2);
                ArrayNode pair = JSON.arrayNode().add(parts[0]);
                pair.add(parts.length > 1 ? parts[1] : "");
                argument = pair;
            }
            String longName = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
            return JSON.objectNode().set(longName, argument);
        }

        private boolean hasComment(Node node) {
            int start = node.getStartMark().getLine();
            int end = node.getEndMark().getLine() - (node.getEndMark().getColumn() == 0 ? 1 : 0);
            if (commentOnlyLines.contains(start - 1)) {
                return true;
            }
            for (int line = start; line <= Math.max(start, end); line++) {
                if (commentLines.contains(line)) {
                    return true;
                }
            }
            return false;
        }
    }
}
