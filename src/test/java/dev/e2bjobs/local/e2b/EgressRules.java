package dev.e2bjobs.local.e2b;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A sandbox's outbound traffic rules as E2B takes them on create (and on update): {@code allow_internet_access} and
 * {@code network.allowOut} / {@code network.denyOut}. E2B decides per connection: an allowOut entry
 * that matches wins, then a matching denyOut entry denies, else the traffic goes out.
 *
 * @param allowInternetAccess as sent, or null when the request left it out (E2B's default: on)
 * @param allowOut            IPs, CIDRs and domain names ({@code *.example.com} for subdomains)
 * @param denyOut             IPs and CIDRs only
 */
record EgressRules(Boolean allowInternetAccess, List<String> allowOut, List<String> denyOut) {
    /** E2B's ALL_TRAFFIC: every IPv4 address, which covers every host name's address too. */
    static final String ALL_TRAFFIC = "0.0.0.0/0";
    /** What a create without network fields gets: everything goes out. */
    static final EgressRules DEFAULT = new EgressRules(null, List.of(), List.of());
    static final String DOMAINS_NEED_ALL_TRAFFIC_DENIED = "When specifying allowed domains in allow out, you must include"
            + " 'ALL_TRAFFIC' in deny out to block all other traffic.";
    private static final Pattern IPV4_OR_CIDR = Pattern.compile(
            "^((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)(/(3[0-2]|[12]?\\d))?$");

    EgressRules {
        allowOut = List.copyOf(allowOut);
        denyOut = List.copyOf(denyOut);
    }

    /** Reads and validates a create body's rules as E2B does; a rule E2B would refuse is a 400. */
    static EgressRules of(JsonNode createBody) {
        JsonNode network = createBody.path("network");
        EgressRules rules = new EgressRules(allowInternetAccess(createBody.get("allow_internet_access")),
                strings(network.get("allowOut"), "network.allowOut"), strings(network.get("denyOut"), "network.denyOut"));
        rules.validate();
        return rules;
    }

    /**
     * Reads a {@code PUT /sandboxes/{id}/network} body ({@code SandboxNetworkUpdateConfig}: the same
     * fields, flat): it replaces the rules, so a field left out is cleared. Validated as on create.
     */
    static EgressRules ofUpdate(JsonNode updateBody) {
        EgressRules rules = new EgressRules(allowInternetAccess(updateBody.get("allow_internet_access")),
                strings(updateBody.get("allowOut"), "allowOut"), strings(updateBody.get("denyOut"), "denyOut"));
        rules.validate();
        return rules;
    }

    /** Whether a connection to {@code host} (as named in an HTTP Host header or TLS SNI) may go out. */
    boolean allows(String host) {
        if (allowOut.stream().anyMatch(entry -> matches(entry, host))) {
            return true;
        }
        return !Boolean.FALSE.equals(allowInternetAccess) && !denyOut.contains(ALL_TRAFFIC);
    }

    /** A host name's address is unknown here, so of the address entries only ALL_TRAFFIC can match it. */
    private static boolean matches(String entry, String host) {
        String pattern = entry.toLowerCase(Locale.ROOT);
        String name = host.toLowerCase(Locale.ROOT);
        return pattern.equals(name) || pattern.equals("*") || pattern.equals(ALL_TRAFFIC)
                || pattern.startsWith("*.") && name.endsWith(pattern.substring(1));
    }

    private void validate() {
        for (String entry : denyOut) {
            if (!isAddress(entry)) {
                throw HttpError.of(400, "invalid denied CIDR " + entry);
            }
        }
        if (allowOut.stream().anyMatch(entry -> !isAddress(entry)) && !denyOut.contains(ALL_TRAFFIC)) {
            throw HttpError.of(400, DOMAINS_NEED_ALL_TRAFFIC_DENIED);
        }
    }

    /** An IP or CIDR rather than a domain name; IPv6 is told apart by its colons and not checked further. */
    private static boolean isAddress(String entry) {
        return entry.contains(":") || IPV4_OR_CIDR.matcher(entry).matches();
    }

    private static Boolean allowInternetAccess(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw HttpError.of(400, "Error when parsing request: allow_internet_access must be a boolean");
        }
        return value.booleanValue();
    }

    private static List<String> strings(JsonNode node, String field) {
        List<String> values = new ArrayList<>();
        if (node == null || node.isNull()) {
            return values;
        }
        boolean valid = node.isArray();
        for (JsonNode value : node) {
            valid &= value.isTextual();
            values.add(value.asText());
        }
        if (!valid) {
            throw HttpError.of(400, "Error when parsing request: " + field + " must be an array of strings");
        }
        return values;
    }
}
