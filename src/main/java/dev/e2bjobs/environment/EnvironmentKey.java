package dev.e2bjobs.environment;

import dev.e2bjobs.sandbox.Egress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What makes two jobs' environments the same: the template they start from, their requirements as a
 * set (each project name in its canonical PEP 503 form, the rest of the line exact but for spaces),
 * the network the install runs under, and whose environment it is (an owner, or the deployment).
 */
public record EnvironmentKey(String scope, String template, List<String> requirements, Egress installEgress) {
    /** The scope of environments shared by every owner of a deployment. */
    public static final String SHARED = "*";
    private static final Pattern PROJECT = Pattern.compile("^([A-Za-z0-9][A-Za-z0-9._-]*)(.*)$");

    public EnvironmentKey {
        requirements = List.copyOf(requirements);
    }

    public static EnvironmentKey of(String scope, String template, List<String> requirements, Egress installEgress) {
        TreeSet<String> normalized = new TreeSet<>();
        requirements.stream().map(EnvironmentKey::normalize).filter(line -> !line.isEmpty()).forEach(normalized::add);
        return new EnvironmentKey(scope, template, List.copyOf(normalized), installEgress);
    }

    /** {@code Foo_Bar >= 1.0 ; python_version>"3"} → {@code foo-bar>=1.0;python_version>"3"}. */
    static String normalize(String requirement) {
        String compact = requirement.replaceAll("\\s+", "");
        Matcher project = PROJECT.matcher(compact);
        if (!project.matches()) {
            return compact;
        }
        return project.group(1).toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-") + project.group(2);
    }

    /** A stable id: the same key gives the same id in every deployment and every run. */
    public String id() {
        String canonical = String.join("\n", scope, template, String.join("\n", requirements),
                installEgress.anywhere() ? "anywhere" : String.join(",", new TreeSet<>(installEgress.hosts())));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return "env-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
