package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin API's sandbox statistics: the peak of sandboxes running at once, and creates and existing sandboxes per metadata value. */
class SandboxStatsTest {
    @RegisterExtension
    static final LocalE2bExtension E2B = new LocalE2bExtension(LocalE2bSettings.defaults());
    private static final String JOB_ID = "e2bjobs.jobId";

    private static WireClient.Sandbox create(String jobId) {
        return E2B.wire().create("{\"templateID\":\"base\",\"metadata\":{\"" + JOB_ID + "\":\"" + jobId + "\",\"other\":\"x\"}}");
    }

    private static String stats() {
        return WireClient.json(E2B.wire().api("GET", "/_local/stats", null).body()).toString();
    }

    private static void kill(WireClient.Sandbox sandbox) {
        assertEquals(204, E2B.wire().api("DELETE", "/sandboxes/" + sandbox.id(), null).statusCode());
    }

    @Test
    void peakAndCreatesCountSinceTheLastResetAndAResumeCountsAsRunning() {
        LocalE2bAdmin admin = new LocalE2bAdmin(E2B.server().url());
        admin.resetStats();
        WireClient.Sandbox first = create("job-1");
        WireClient.Sandbox retry = create("job-1");
        WireClient.Sandbox other = create("job-2");
        WireClient.Sandbox untagged = E2B.wire().create();
        kill(first);
        kill(retry);

        assertEquals("{\"running\":2,\"peakRunning\":4,\"created\":4}", stats());
        assertEquals(4, admin.peakRunning());
        assertEquals(Map.of("job-1", 2, "job-2", 1), admin.createdPer(JOB_ID));
        assertEquals(Map.of("x", 3), admin.createdPer("other"));
        assertEquals(0, admin.existing(JOB_ID, "job-1"), "killed sandboxes are gone");
        assertEquals(1, admin.existing(JOB_ID, "job-2"));

        assertEquals(204, E2B.wire().api("POST", "/sandboxes/" + other.id() + "/pause", "{}").statusCode());
        admin.resetStats();
        assertEquals("{\"running\":1,\"peakRunning\":1,\"created\":0}", stats());
        assertEquals(Map.of(), admin.createdPer(JOB_ID));
        assertEquals(1, admin.existing(JOB_ID, "job-2"), "a paused sandbox still exists");

        assertEquals(201, E2B.wire().api("POST", "/v2/sandboxes/" + other.id() + "/connect", "{\"timeout\":60}").statusCode());
        WireClient.Sandbox next = create("job-3");
        assertEquals("{\"running\":3,\"peakRunning\":3,\"created\":1}", stats());
        assertEquals(Map.of("job-3", 1), admin.createdPer(JOB_ID));
        kill(other);
        kill(untagged);
        kill(next);
        assertEquals(3, admin.peakRunning());
    }

    @Test
    void countsWithoutAMetadataKeyAreABadRequest() {
        assertEquals(400, E2B.wire().api("GET", "/_local/created", null).statusCode());
        assertEquals(400, E2B.wire().api("GET", "/_local/existing", null).statusCode());
    }
}
