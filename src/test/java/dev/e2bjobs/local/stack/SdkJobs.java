package dev.e2bjobs.local.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.e2bjobs.local.e2b.OfficialSdk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's jobs through the official E2B JS SDK against the stack's E2B server, as a user calling
 * E2B by hand makes them (src/test/js/e2b-sdk/bench.mjs): create, write main.py, run it, read its result, kill.
 * The wall time is measured inside node, so its start-up is not counted.
 */
final class SdkJobs {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> env;

    SdkJobs(LocalStack stack) {
        env = Map.of("E2B_API_KEY", stack.e2bApiKey(), "E2B_API_URL", stack.e2bUrl(), "E2B_SANDBOX_URL", stack.e2bUrl());
    }

    BenchRound run(int jobs, int clients, String code) throws Exception {
        OfficialSdk.Result result = OfficialSdk.run(List.of("node", "bench.mjs", String.valueOf(jobs), String.valueOf(clients), code), env, 600);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("the SDK's jobs failed:\n" + result.output());
        }
        String output = result.output().strip();
        JsonNode measured = JSON.readTree(output.substring(output.lastIndexOf('\n') + 1));
        List<Double> jobMs = new ArrayList<>();
        measured.path("jobMs").forEach(ms -> jobMs.add(ms.asDouble()));
        return new BenchRound(measured.path("wallMs").asDouble(), jobMs, List.of(), 0);
    }
}
