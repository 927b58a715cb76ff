package dev.e2bjobs.local.e2b;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A template reference as E2B parses one ({@code id.ParseName}): {@code [namespace/]alias[:tag]},
 * trimmed and lowercased. A snapshot's id and names are such references.
 *
 * @param namespace the team slug before the slash, or null
 * @param alias     a template id or alias
 * @param tag       the tag after the colon, or null when none was given
 */
record TemplateRef(String namespace, String alias, String tag) {
    static final String DEFAULT_TAG = "default";
    private static final Pattern IDENTIFIER = Pattern.compile("^[a-z0-9-_]+$");
    private static final Pattern TAG = Pattern.compile("^[a-z0-9-_.]+$");

    /** Throws IllegalArgumentException with E2B's wording ("invalid template ID: X") when a part is malformed. */
    static TemplateRef parse(String input) {
        String[] identifierAndTag = input.strip().split(":", 2);
        String tag = identifierAndTag.length == 2 ? clean(identifierAndTag[1], "tag", TAG) : null;
        String[] namespaceAndAlias = identifierAndTag[0].split("/", 2);
        return namespaceAndAlias.length == 2
                ? new TemplateRef(clean(namespaceAndAlias[0], "namespace", IDENTIFIER), clean(namespaceAndAlias[1], "template ID", IDENTIFIER), tag)
                : new TemplateRef(null, clean(namespaceAndAlias[0], "template ID", IDENTIFIER), tag);
    }

    private static String clean(String value, String part, Pattern valid) {
        String cleaned = value.strip().toLowerCase(Locale.ROOT);
        if (!valid.matcher(cleaned).matches()) {
            throw new IllegalArgumentException("invalid " + part + ": " + value);
        }
        return cleaned;
    }

    /** What E2B's messages name: namespace/alias, or the alias alone. */
    String identifier() {
        return namespace == null ? alias : namespace + "/" + alias;
    }

    String tagOrDefault() {
        return tag == null ? DEFAULT_TAG : tag;
    }
}
