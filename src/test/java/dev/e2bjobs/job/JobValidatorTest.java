package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What valid jobs become (the rejections are covered through the submit function). */
class JobValidatorTest {
    private final JobValidator validator = new JobValidator(TestSettings.DEFAULTS);

    private static JobRequest request(String shellCommand, List<String> argv, List<String> dependencies) {
        return new JobRequest(Map.of("main.py", JobRequest.FileContent.text("print(1)"),
                "data/x.bin", new JobRequest.FileContent("AAEC/w==", "base64")), shellCommand, argv, dependencies, Map.of("SEED", "7"),
                null, null, null, Map.of("experiment", "e1"), null, null);
    }

    @Test
    void aGenesisStyleJobGetsTheDefaultCommandAndResultDirectory() {
        JobSpec spec = validator.validate(new JobRequest(Map.of("main.py", JobRequest.FileContent.text("x = 1"),
                "evaluate.py", JobRequest.FileContent.text("y = 2")), null, null, null, null, null, null, null, null, null, null));
        assertEquals(List.of("python", "evaluate.py", "--program_path", "main.py", "--results_dir", "results"), spec.command());
        assertEquals(List.of("results/"), spec.resultPaths());
        assertEquals("base", spec.template());
        assertEquals(300, spec.timeoutSeconds());
    }

    @Test
    void filesAreDecodedAndCommandsKeptAsArguments() {
        JobSpec spec = validator.validate(request(null, List.of("python", "main.py", "--name", "$(rm -rf /)"), null));
        JobFile binary = spec.files().stream().filter(f -> f.path().equals("data/x.bin")).findFirst().orElseThrow();
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, binary.content());
        assertEquals("$(rm -rf /)", spec.command().get(3), "an argument is data, never shell text");
        assertEquals(List.of("/bin/bash", "-c", "python main.py | tee log"),
                validator.validate(request("python main.py | tee log", null, null)).command(), "a command line is the user's own shell");
    }

    @Test
    void plainRequirementsPass() {
        List<String> requirements = List.of("numpy", "numpy==2.1.0", "scikit-learn>=1.3,<2", "requests[socks,security]~=2.31",
                "torch === 2.4.0+cpu", "Pillow!=10.0.0");
        assertEquals(requirements.stream().map(String::trim).toList(), validator.validate(request("true", null, requirements)).dependencies());
        assertThrows(InvalidJobRequestException.class, () -> validator.validate(request("true", null, List.of("numpy; python_version<'3.8'"))));
        assertThrows(InvalidJobRequestException.class, () -> validator.validate(request("true", null, List.of("./local/path"))));
    }

    @Test
    void theSamePayloadHashesAlikeAndAnyChangeDiffers() {
        String hash = SpecHash.of(List.of(validator.validate(request("true", null, null))));
        assertEquals(hash, SpecHash.of(List.of(validator.validate(request("true", null, null)))));
        assertTrue(!hash.equals(SpecHash.of(List.of(validator.validate(request("false", null, null))))));
        assertTrue(!hash.equals(SpecHash.of(List.of(validator.validate(request("true", null, null)),
                validator.validate(request("true", null, null))))), "two jobs are not one");
    }

    @Test
    void jobIdsSortByCreationTime() {
        String earlier = JobIds.next(Instant.parse("2026-11-21T10:00:00Z"));
        String later = JobIds.next(Instant.parse("2026-11-21T10:00:00.001Z"));
        assertEquals(26, earlier.length());
        assertTrue(earlier.compareTo(later) < 0, earlier + " < " + later);
    }

    @Test
    void theRunnersExitFileNamesPhaseAndCode() {
        assertEquals(new Runner.Outcome("command", 3), Runner.Outcome.parse("command 3\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new Runner.Outcome("timeout", 124), Runner.Outcome.parse("timeout 124".getBytes(StandardCharsets.UTF_8)));
        assertEquals("unknown", Runner.Outcome.parse("garbage".getBytes(StandardCharsets.UTF_8)).phase());
    }
}
