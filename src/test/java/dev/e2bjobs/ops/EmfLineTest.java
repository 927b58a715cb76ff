package dev.e2bjobs.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** EMF documents as the CloudWatch embedded metric format specification wants them. */
class EmfLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void metricsWithTheSameDimensionsShareADirectiveAndEveryTargetMemberIsOnTheRoot() throws Exception {
        String line = new EmfLine("prod", Instant.ofEpochMilli(1_700_000_000_123L))
                .dimension("status", "FAILED").dimension("errorCode", "E2B_UNAVAILABLE").property("jobId", "j-1")
                .metric("JobsEnded", EmfLine.Unit.COUNT, 1, "status", "errorCode")
                .metric("TotalTime", EmfLine.Unit.MILLISECONDS, 1500)
                .metric("RunTime", EmfLine.Unit.MILLISECONDS, 1200.5)
                .toJson();

        assertFalse(line.contains("\n"), "one log event, one line");
        JsonNode doc = JSON.readTree(line);
        assertEquals(1_700_000_000_123L, doc.path("_aws").path("Timestamp").asLong());
        JsonNode directives = doc.path("_aws").path("CloudWatchMetrics");
        assertEquals(2, directives.size());
        assertEquals("e2b-jobs", directives.get(0).path("Namespace").asText());
        assertEquals("[[\"deployment\",\"status\",\"errorCode\"]]", directives.get(0).path("Dimensions").toString());
        assertEquals("[{\"Name\":\"JobsEnded\",\"Unit\":\"Count\"}]", directives.get(0).path("Metrics").toString());
        assertEquals("[[\"deployment\"]]", directives.get(1).path("Dimensions").toString());
        assertEquals("[{\"Name\":\"TotalTime\",\"Unit\":\"Milliseconds\"},{\"Name\":\"RunTime\",\"Unit\":\"Milliseconds\"}]",
                directives.get(1).path("Metrics").toString());
        // target members: each dimension a string, each metric a number
        assertEquals("prod", doc.path("deployment").asText());
        assertEquals("FAILED", doc.path("status").asText());
        assertEquals("E2B_UNAVAILABLE", doc.path("errorCode").asText());
        assertEquals(1, doc.path("JobsEnded").asLong());
        assertEquals(1500, doc.path("TotalTime").asLong());
        assertEquals(1200.5, doc.path("RunTime").asDouble());
        assertEquals("j-1", doc.path("jobId").asText(), "properties ride along for searching");
    }

    @Test
    void aMetricNeedsAValueForEachOfItsDimensionsAndAnEmptyValueIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> new EmfLine("prod", Instant.EPOCH).metric("X", EmfLine.Unit.COUNT, 1, "status"));
        assertEquals("NONE", new EmfLine("prod", Instant.EPOCH).dimension("errorCode", "").metric("X", EmfLine.Unit.COUNT, 1, "errorCode")
                .toJson().replaceAll(".*\"errorCode\":\"([A-Z]+)\".*", "$1"));
    }
}
