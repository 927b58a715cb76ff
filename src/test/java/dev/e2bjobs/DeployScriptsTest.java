package dev.e2bjobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/deploy and scripts/smoke without AWS: their arguments, and the exact commands --dry-run prints.
 * They run with no AWS variables and a {@code sam} on the PATH that records any call, which must not come.
 */
class DeployScriptsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String API = "https://abc123.execute-api.eu-west-1.amazonaws.com";

    @TempDir
    Path bin;

    record Run(int exit, List<String> out, String err) {
    }

    private Run run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        Path sam = bin.resolve("sam");
        Files.writeString(sam, "#!/bin/sh\necho called >> \"" + bin.resolve("sam-called") + "\"\nexit 99\n");
        sam.toFile().setExecutable(true);
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.equals("E2B_JOBS_TOKEN"));
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the script ends");
        assertFalse(Files.exists(bin.resolve("sam-called")), "sam was not called");
        return new Run(process.exitValue(), out.lines().toList(), err);
    }

    private Run deploy(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("scripts/deploy"));
        command.addAll(List.of(args));
        return run(Map.of(), command.toArray(String[]::new));
    }

    @Test
    void deployDryRunPrintsTheNativeBuildAndTheStagesSamDeploy() throws Exception {
        Run run = deploy("dev", "--dry-run");

        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of("./mvnw -B package -DskipTests -Dnative -Dquarkus.native.container-build=true",
                "sam deploy --template-file template.yaml --config-file infra/samconfig.toml --config-env dev"), run.out());
    }

    @Test
    void deployJvmBuildsTheJarZipAndOverridesOnlyTheArtifact() throws Exception {
        Run run = deploy("prod", "--jvm", "--guided", "--dry-run", "--", "--no-execute-changeset");

        assertEquals(0, run.exit(), run.err());
        assertEquals("./mvnw -B package -DskipTests", run.out().get(0));
        String sam = run.out().get(1);
        assertTrue(sam.startsWith("sam deploy --template-file template.yaml --config-file infra/samconfig.toml --config-env prod --guided "
                + "--parameter-overrides "), sam);
        assertTrue(sam.endsWith("DeployArtifact=jvm --no-execute-changeset"), sam);
        assertFalse(sam.contains("DeployArtifact=native"), sam);
        assertTrue(sam.contains("E2bApiKeySecretArn=arn:aws:secretsmanager:"), "the stage's other overrides are kept: " + sam);
    }

    @Test
    void deployNeedsAKnownStage() throws Exception {
        Run none = deploy("--dry-run");
        Run unknown = deploy("staging", "--dry-run");
        Run option = deploy("dev", "--dryrun");

        assertEquals(2, none.exit());
        assertTrue(none.err().contains("usage: scripts/deploy STAGE") && none.err().contains("(dev prod)"), none.err());
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("no stage 'staging'"), unknown.err());
        assertEquals(2, option.exit());
        assertTrue(option.err().contains("unknown option --dryrun"), option.err());
    }

    @Test
    void smokeDryRunSignsWithSigV4ForTheUrlsRegion() throws Exception {
        Run run = run(Map.of(), "scripts/smoke", API + "/", "--dry-run");

        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of("# the job: evaluate.py, main.py from examples/circle-packing",
                "curl -sS -X POST '" + API + "/jobs' -H 'content-type: application/json' --aws-sigv4 'aws:amz:eu-west-1:execute-api' "
                        + "--user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" --data-binary @-",
                "curl -sS '" + API + "/jobs/JOB_ID?wait=20' --aws-sigv4 'aws:amz:eu-west-1:execute-api' "
                        + "--user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\""), run.out());
    }

    @Test
    void smokeDryRunUsesTheTokenWhenThereIsOne() throws Exception {
        Run run = run(Map.of("E2B_JOBS_TOKEN", "t0ken"), "scripts/smoke", API, "--dry-run");

        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().get(1).endsWith("-H \"Authorization: Bearer $E2B_JOBS_TOKEN\" --data-binary @-"), run.out().get(1));
        assertFalse(String.join("\n", run.out()).contains("t0ken"), "the token itself is never printed");
    }

    @Test
    void smokeRefusesMissingArgumentsAndCredentials() throws Exception {
        Run none = run(Map.of(), "scripts/smoke");
        Run notUrl = run(Map.of(), "scripts/smoke", "abc123");
        Run noDir = run(Map.of(), "scripts/smoke", API, "no/such/dir", "--dry-run");
        Run noCredentials = run(Map.of(), "scripts/smoke", API);

        assertEquals(2, none.exit());
        assertTrue(none.err().contains("usage: scripts/smoke API_URL"), none.err());
        assertEquals(2, notUrl.exit());
        assertTrue(notUrl.err().contains("must start with https://"), notUrl.err());
        assertEquals(2, noDir.exit());
        assertTrue(noDir.err().contains("no job directory no/such/dir"), noDir.err());
        assertEquals(2, noCredentials.exit());
        assertTrue(noCredentials.err().contains("set E2B_JOBS_TOKEN"), noCredentials.err());
    }
}
