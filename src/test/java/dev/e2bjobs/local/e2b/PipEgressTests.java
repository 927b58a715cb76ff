package dev.e2bjobs.local.e2b;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.e2bjobs.e2b.ConnectEnvelope;
import dev.e2bjobs.job.JobSpec;
import dev.e2bjobs.job.Runner;
import dev.e2bjobs.sandbox.SandboxCommand;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * pip in a sandbox installs from the local package index exactly when the sandbox's egress rules reach
 * the index's hosts (pypi.org, files.pythonhosted.org), and otherwise fails at once as it would on
 * E2B. Run under bubblewrap ({@link BwrapPipEgressTest}) and plainly ({@link PlainPipEgressTest}).
 */
abstract class PipEgressTests {
    static final String PYPI_ONLY = "\"network\":{\"allowOut\":[\"pypi.org\",\"files.pythonhosted.org\"],\"denyOut\":[\"0.0.0.0/0\"]}";
    private static final String PIP_INSTALL = "python -m pip install --no-input --disable-pip-version-check e2bjobs-probe";
    private static final String PRINT_VALUE = "import e2bjobs_probe; print(e2bjobs_probe.VALUE)";
    private static final String NOT_FOUND = "Could not find a version that satisfies the requirement e2bjobs-probe";

    abstract LocalE2bExtension e2b();

    private WireClient.Sandbox create(String fields) {
        return e2b().wire().create("{\"templateID\":\"base\"" + (fields.isEmpty() ? "" : "," + fields) + "}");
    }

    private List<ConnectEnvelope> run(WireClient.Sandbox box, String command) {
        return e2b().wire().run(box, command);
    }

    private static int exitCode(List<ConnectEnvelope> envelopes) {
        return WireClient.end(envelopes).path("exitCode").asInt(0);
    }

    /** The service's own runner and start command for a job that needs the probe: what it reports in exit_code. */
    private String runJob(WireClient.Sandbox box) {
        JobSpec job = new JobSpec(List.of(), List.of("python", "-c", PRINT_VALUE), List.of("e2bjobs-probe"), Map.of(), "base", 60, List.of(), Map.of(), false, null, null, null);
        Runner.files(job).forEach(file -> e2b().wire().upload(box, file.path(), file.content()));
        SandboxCommand command = Runner.start(job, 60, false, new Runner.Packing(16_384, 262_144));
        ObjectNode request = Json.object().put("stdin", false);
        ObjectNode process = request.putObject("process").put("cmd", command.cmd()).put("cwd", command.cwd());
        command.args().forEach(process.putArray("args")::add);
        e2b().wire().stream(box, "process.Process/Start", request.toString());
        return e2b().wire().download(box, Runner.EXIT_CODE);
    }

    private void assertInstallsAndImportsTheProbe(WireClient.Sandbox box) {
        List<ConnectEnvelope> pip = run(box, PIP_INSTALL);
        assertEquals(0, exitCode(pip), WireClient.output(pip, "stdout") + WireClient.output(pip, "stderr"));
        String imported = WireClient.output(run(box, "python -c 'import e2bjobs_probe as p; print(p.VALUE, p.__file__)'"), "stdout");
        assertTrue(imported.startsWith("42 /home/user/.local/lib/python3"), "installed in the user's home, as on E2B: " + imported);
    }

    @Test
    void anAllowListOfTheIndexHostsLetsTheRunnerInstallTheJobsRequirements() {
        WireClient.Sandbox box = create(PYPI_ONLY);
        assertEquals("command 0\n", runJob(box));
        assertEquals("42\n", e2b().wire().download(box, Runner.STDOUT));
    }

    @Test
    void withoutInternetAccessTheRunnersInstallFailsAtOnceWithPipsErrorAndNothingIsInstalled() {
        WireClient.Sandbox box = create("\"allow_internet_access\":false");
        Instant started = Instant.now();
        assertEquals("install 1\n", runJob(box));
        Duration took = Duration.between(started, Instant.now());
        assertTrue(took.compareTo(Duration.ofSeconds(20)) < 0, "pip gave up without retrying for long: " + took);
        String log = e2b().wire().download(box, Runner.INSTALL_LOG);
        assertTrue(log.contains(NOT_FOUND), log);
        List<ConnectEnvelope> imported = run(box, "python -c 'import e2bjobs_probe'");
        assertNotEquals(0, exitCode(imported));
        assertTrue(WireClient.output(imported, "stderr").contains("ModuleNotFoundError"), WireClient.output(imported, "stderr"));
    }

    @Test
    void anAllowListWithoutTheIndexHostsReachesNoIndex() {
        WireClient.Sandbox box = create("\"network\":{\"allowOut\":[\"example.com\",\"pypi.org\"],\"denyOut\":[\"0.0.0.0/0\"]}");
        List<ConnectEnvelope> pip = run(box, PIP_INSTALL);
        assertNotEquals(0, exitCode(pip));
        assertTrue(WireClient.output(pip, "stderr").contains(NOT_FOUND), WireClient.output(pip, "stderr"));
    }

    @Test
    void internetAccessLetsPipInstallButNotChangeTheIndex() {
        WireClient.Sandbox box = create("\"allow_internet_access\":true");
        assertInstallsAndImportsTheProbe(box);
        List<ConnectEnvelope> write = run(box, "echo poisoned > " + Isolation.PACKAGE_INDEX + "/index.html");
        assertNotEquals(0, exitCode(write));
        assertTrue(WireClient.output(write, "stderr").contains("Read-only file system"), WireClient.output(write, "stderr"));
    }

    @Test
    void rulesReplacedAfterTheInstallLeaveTheInstalledPackageButNoIndex() {
        WireClient.Sandbox box = create(PYPI_ONLY);
        assertInstallsAndImportsTheProbe(box);

        HttpResponse<String> closed = e2b().wire().api("PUT", "/sandboxes/" + box.id() + "/network",
                "{\"allow_internet_access\":false,\"denyOut\":[\"0.0.0.0/0\"]}");

        assertEquals(204, closed.statusCode(), closed.body());
        List<ConnectEnvelope> pip = run(box, "python -m pip download --no-deps -d /tmp/dl e2bjobs-probe");
        assertNotEquals(0, exitCode(pip), "a process started after the update finds no index");
        assertTrue(WireClient.output(pip, "stderr").contains(NOT_FOUND), WireClient.output(pip, "stderr"));
        assertEquals("42\n", WireClient.output(run(box, "python -c '" + PRINT_VALUE + "'"), "stdout"));
    }

    @Test
    void theServerCountsPipsReadsOfTheIndexButNotCommandsThatLeaveItAlone() {
        LocalE2bAdmin admin = new LocalE2bAdmin(e2b().server().url());
        long before = admin.indexReads();
        WireClient.Sandbox box = create(PYPI_ONLY);
        assertEquals(0, exitCode(run(box, "python -c 'print(42)' && ls -la /home/user > /tmp/listing")));
        assertEquals(before, admin.indexReads(), "creating a sandbox and running a command read nothing of the index");

        assertInstallsAndImportsTheProbe(box);
        assertTrue(admin.indexReads() > before, "pip read the index: " + before + " -> " + admin.indexReads());
    }

    @Test
    void aSandboxCreatedWithoutNetworkFieldsHasInternetAccessAsOnE2b() {
        assertInstallsAndImportsTheProbe(create(""));
    }
}
