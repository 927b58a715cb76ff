package dev.e2bjobs.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.e2bjobs.sandbox.Egress;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentKeyTest {
    private static final Egress INDEX = Egress.only(List.of("pypi.org", "files.pythonhosted.org"));

    private static EnvironmentKey key(String scope, String template, Egress egress, String... requirements) {
        return EnvironmentKey.of(scope, template, List.of(requirements), egress);
    }

    @Test
    void theSameRequirementsWrittenDifferentlyAreTheSameEnvironment() {
        EnvironmentKey written = key("alice", "base", INDEX, "NumPy==1.26.4", "scikit_learn >= 1.4", "numpy==1.26.4", " ");
        EnvironmentKey canonical = key("alice", "base", INDEX, "scikit-learn>=1.4", "numpy==1.26.4");
        assertEquals(List.of("numpy==1.26.4", "scikit-learn>=1.4"), written.requirements());
        assertEquals(canonical.id(), written.id());
        assertEquals(written.id(), key("alice", "base", Egress.only(List.of("files.pythonhosted.org", "pypi.org")), "numpy==1.26.4", "scikit-learn>=1.4").id(),
                "the index hosts are a set");
    }

    @Test
    void versionsMarkersTemplatesNetworksAndOwnersMakeOtherEnvironments() {
        String id = key("alice", "base", INDEX, "numpy==1.26.4").id();
        assertNotEquals(id, key("alice", "base", INDEX, "numpy==1.26.3").id());
        assertNotEquals(id, key("alice", "base", INDEX, "numpy==1.26.4; python_version<'3.9'").id());
        assertNotEquals(id, key("alice", "code-interpreter-v1", INDEX, "numpy==1.26.4").id());
        assertNotEquals(id, key("alice", "base", Egress.ANYWHERE, "numpy==1.26.4").id());
        assertNotEquals(id, key("bob", "base", INDEX, "numpy==1.26.4").id());
        assertNotEquals(id, key(EnvironmentKey.SHARED, "base", INDEX, "numpy==1.26.4").id());
    }

    @Test
    void anIdIsStableAndShort() {
        assertEquals("env-", key("alice", "base", INDEX, "numpy").id().substring(0, 4));
        assertEquals(28, key("alice", "base", INDEX, "numpy").id().length());
        assertEquals(key("alice", "base", INDEX, "numpy").id(), key("alice", "base", INDEX, "NUMPY").id());
    }
}
