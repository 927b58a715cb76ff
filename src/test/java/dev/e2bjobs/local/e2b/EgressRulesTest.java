package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which host names a sandbox may reach, and which rules E2B refuses at create. */
class EgressRulesTest {
    private static final List<String> ALL = List.of(EgressRules.ALL_TRAFFIC);

    private static EgressRules rules(Boolean allowInternetAccess, List<String> allowOut, List<String> denyOut) {
        return new EgressRules(allowInternetAccess, allowOut, denyOut);
    }

    private static EgressRules parse(String createBody) {
        return EgressRules.of(WireClient.json(createBody));
    }

    private static HttpError refused(String createBody) {
        return assertThrows(HttpError.class, () -> parse(createBody));
    }

    @Test
    void internetAccessIsOnUnlessTurnedOffOrAllTrafficIsDenied() {
        assertTrue(EgressRules.DEFAULT.allows("pypi.org"));
        assertTrue(rules(true, List.of(), List.of()).allows("pypi.org"));
        assertFalse(rules(false, List.of(), List.of()).allows("pypi.org"));
        assertFalse(rules(null, List.of(), ALL).allows("pypi.org"));
        assertFalse(rules(true, List.of(), ALL).allows("pypi.org"), "denyOut 0.0.0.0/0 wins over allow_internet_access");
        assertTrue(rules(null, List.of(), List.of("10.0.0.0/8")).allows("pypi.org"), "a host name's address is not known to be in it");
    }

    @Test
    void anAllowOutMatchWinsOverDenyOutAndOverNoInternetAccess() {
        assertTrue(rules(null, List.of("pypi.org"), ALL).allows("pypi.org"));
        assertTrue(rules(false, List.of("pypi.org"), List.of()).allows("PyPI.org"), "host names compare without case");
        assertFalse(rules(null, List.of("pypi.org"), ALL).allows("files.pythonhosted.org"));
        assertTrue(rules(false, List.of(EgressRules.ALL_TRAFFIC), ALL).allows("pypi.org"), "allowOut 0.0.0.0/0 holds every address");
        assertTrue(rules(false, List.of("*"), ALL).allows("pypi.org"));
    }

    @Test
    void aWildcardMatchesSubdomainsOnly() {
        EgressRules wildcard = rules(null, List.of("*.pythonhosted.org"), ALL);
        assertTrue(wildcard.allows("files.pythonhosted.org"));
        assertTrue(wildcard.allows("a.b.pythonhosted.org"));
        assertFalse(wildcard.allows("pythonhosted.org"));
        assertFalse(wildcard.allows("evilpythonhosted.org"));
    }

    @Test
    void aCreateBodysRulesAreReadAsSent() {
        EgressRules rules = parse("{\"allow_internet_access\":false,\"network\":{\"allowOut\":[\"pypi.org\",\"1.2.3.4\"],"
                + "\"denyOut\":[\"0.0.0.0/0\",\"10.0.0.0/8\",\"::1\"]}}");
        assertEquals(new EgressRules(false, List.of("pypi.org", "1.2.3.4"), List.of("0.0.0.0/0", "10.0.0.0/8", "::1")), rules);
        assertNull(parse("{\"templateID\":\"base\"}").allowInternetAccess());
        assertEquals(EgressRules.DEFAULT, parse("{\"network\":{}}"));
    }

    @Test
    void rulesE2bRefusesAreBadRequestsWithE2bsMessages() {
        HttpError domainDenied = refused("{\"network\":{\"denyOut\":[\"pypi.org\"]}}");
        assertEquals(400, domainDenied.status);
        assertEquals("{\"code\":400,\"message\":\"invalid denied CIDR pypi.org\"}", domainDenied.body.toString());
        assertEquals("invalid denied CIDR 300.0.0.0/8", refused("{\"network\":{\"denyOut\":[\"300.0.0.0/8\"]}}").getMessage());
        assertEquals(EgressRules.DOMAINS_NEED_ALL_TRAFFIC_DENIED,
                refused("{\"allow_internet_access\":false,\"network\":{\"allowOut\":[\"pypi.org\"]}}").getMessage());
        assertEquals(400, refused("{\"allow_internet_access\":\"no\"}").status);
        assertEquals(400, refused("{\"network\":{\"allowOut\":\"pypi.org\"}}").status);
        assertEquals(400, refused("{\"network\":{\"denyOut\":[1]}}").status);
    }
}
