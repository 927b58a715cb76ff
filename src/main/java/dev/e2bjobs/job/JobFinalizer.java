package dev.e2bjobs.job;

import dev.e2bjobs.sandbox.Egress;
import dev.e2bjobs.sandbox.FileEntry;
import dev.e2bjobs.sandbox.FileTail;
import dev.e2bjobs.sandbox.ProcessExit;
import dev.e2bjobs.sandbox.SandboxException;
import dev.e2bjobs.sandbox.SandboxGateway;
import dev.e2bjobs.sandbox.SandboxNotFoundException;
import dev.e2bjobs.sandbox.SandboxRef;
import dev.e2bjobs.sandbox.SandboxRequestInvalidException;
import dev.e2bjobs.sandbox.SandboxUnauthorizedException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Looks at RUNNING jobs and ends those that are done: by the runner's exit-code file (its verdict,
 * output and result files harvested), or because the runner, the sandbox or the deadline is gone. A
 * read that fails is tried again on the next look: a failure to read is never a verdict.
 */
public class JobFinalizer {
    private static final Logger LOG = Logger.getLogger(JobFinalizer.class.getName());
    private static final int MAX_REASON_CHARS = 500;
    private static final ProcessExit NOT_EXITED = new ProcessExit(false, new byte[0]);

    private final SandboxGateway sandboxes;
    private final ArtifactStore artifacts;
    private final JobStore store;
    private final JobEnding ending;
    private final ResultsExport exports;
    private final JobSettings settings;
    private final Clock clock;
    /** What the runners started with these settings pack, and so the most a packed outcome can be. */
    private final Runner.Packing packing;

    public JobFinalizer(SandboxGateway sandboxes, ArtifactStore artifacts, JobStore store, JobEnding ending, ResultsExport exports,
            JobSettings settings, Clock clock) {
        this.sandboxes = sandboxes;
        this.artifacts = artifacts;
        this.store = store;
        this.ending = ending;
        this.exports = exports;
        this.settings = settings;
        this.clock = clock;
        this.packing = Runner.Packing.of(settings);
    }

    /** One look at a job: a RUNNING job that is done ends; any other job comes back as it is. */
    public Job look(Job job) {
        return look(job, new byte[0]);
    }

    /** A look after following the job's runner, with what it printed as it exited: its outcome, when all of it was seen. */
    public Job look(Job job, byte[] runnerStdout) {
        if (job.status() != JobStatus.RUNNING) {
            return job;
        }
        try {
            return lookAtRunner(job, runnerStdout);
        } catch (SandboxNotFoundException e) {
            return ending.end(job, j -> j.failed(clock.instant(),
                    FailureCode.SANDBOX_LOST.error("the sandbox disappeared before the job's results were read"), JobOutput.NONE));
        } catch (SandboxException e) {
            if (ending.sandboxSurelyGone(job)) {
                return ending.end(job, j -> j.failed(clock.instant(),
                        FailureCode.E2B_UNAVAILABLE.error("E2B could not be read until the sandbox expired: " + e.getMessage()), JobOutput.NONE));
            }
            LOG.info("job " + job.jobId() + ": could not look at its sandbox now (" + e.getMessage() + "); the next look will");
            return job;
        }
    }

    /** Ends the job if its runner has finished, or is gone, or its deadline has passed without an exit code. */
    private Job lookAtRunner(Job job, byte[] runnerStdout) {
        Optional<FinishedRunner> finished = FinishedRunner.printed(runnerStdout, sandboxes, job.sandbox())
                .or(() -> FinishedRunner.packed(sandboxes, job.sandbox(), packing.maxArchiveBytes()));
        if (finished.isPresent()) {
            return harvest(job, finished.get());
        }
        if (job.deadline() != null && clock.instant().isAfter(job.deadline())) {
            return FinishedRunner.unpacked(sandboxes, job.sandbox()).map(runner -> harvest(job, runner)).orElseGet(() -> ending.end(job,
                    j -> j.timedOut(clock.instant(), new JobError("TIMED_OUT", "no exit code by the deadline (" + j.spec().timeoutSeconds()
                            + " s run time)"), JobOutput.NONE)));
        }
        if (sandboxes.isRunning(job.sandbox(), Runner.TAG)) {
            return job;
        }
        // the runner may have finished just after the first read, or it packed nothing (from before runners packed,
        // or unable to): its exit-code file says how it ended
        return FinishedRunner.packed(sandboxes, job.sandbox(), packing.maxArchiveBytes())
                .or(() -> FinishedRunner.unpacked(sandboxes, job.sandbox()))
                .map(runner -> harvest(job, runner)).orElseGet(() -> ending.end(job, j -> j.failed(clock.instant(),
                        FailureCode.RUNNER_LOST.error("the runner process is gone without writing an exit code"), JobOutput.NONE)));
    }

    /**
     * Waits at most {@code wait} for a RUNNING job's runner to exit, over one open request to the
     * sandbox rather than by polling: exited once it has, with what it printed meanwhile (its packed
     * outcome, for {@link #look(Job, byte[])}); not exited if it still runs, has no known pid, or cannot
     * be followed now.
     */
    public ProcessExit awaitRunner(Job job, Duration wait) {
        if (job.status() != JobStatus.RUNNING || job.runnerPid() == null) {
            return NOT_EXITED;
        }
        try {
            return sandboxes.awaitExit(job.sandbox(), job.runnerPid(), wait, packing.maxPrintedBytes());
        } catch (SandboxException e) {
            return NOT_EXITED; // the next look decides
        }
    }

    /**
     * The runner stopped after the install: close the sandbox's egress, then start the command. A
     * second look doing the same at once is harmless: the runner runs the command once.
     */
    private Job runCommandAfterInstall(Job job) {
        try {
            sandboxes.setEgress(job.sandbox(), Egress.NONE);
        } catch (SandboxRequestInvalidException | SandboxUnauthorizedException refused) {
            return ending.end(job, j -> j.failed(clock.instant(), FailureCode.START_FAILED.error(
                    "E2B refused to close the sandbox's network after the install: " + refused.getMessage()), JobOutput.NONE));
        }
        long pid = sandboxes.startBackground(job.sandbox(), Runner.resume(job.spec(), packing));
        try {
            return store.update(job.withRunner(pid));
        } catch (ConcurrentUpdateException e) {
            return store.reload(job);
        }
    }

    /** The runner is done: its output and result files, then the verdict its exit-code file gives. */
    private Job harvest(Job job, FinishedRunner finished) {
        Runner.Outcome outcome = finished.outcome();
        if (outcome.phase().equals(Runner.INSTALLED)) {
            return runCommandAfterInstall(job);
        }
        boolean installFailed = outcome.phase().equals("install");
        String stderrFile = installFailed ? Runner.INSTALL_LOG : Runner.STDERR;
        OutputTail stdout = output(job, finished, Runner.STDOUT, ResultsExport.STDOUT);
        OutputTail stderr = output(job, finished, stderrFile, ResultsExport.STDERR);
        List<ResultFile> results = installFailed ? List.of() : results(job, finished);
        return ending.end(job, verdict(outcome, new JobOutput(outcome.exitCode(), stdout, stderr, results)));
    }

    /** How a job ended, by the runner's word. */
    private UnaryOperator<Job> verdict(Runner.Outcome outcome, JobOutput output) {
        Instant now = clock.instant();
        int code = outcome.exitCode();
        return switch (outcome.phase()) {
            case "command" -> code == 0 ? job -> job.succeeded(now, output)
                    : job -> job.failed(now, FailureCode.EXIT_NONZERO.error("the command exited with " + code), output);
            case "install" -> job -> job.failed(now, FailureCode.INSTALL_FAILED.error(installFailure(code, output.stderr())), output);
            case "timeout" -> job -> job.timedOut(now,
                    new JobError("TIMED_OUT", "the command ran longer than " + job.spec().timeoutSeconds() + " s"), output);
            default -> job -> job.failed(now, FailureCode.START_FAILED.error("the runner could not run the command"), output);
        };
    }

    /** pip's exit code and its first "ERROR:" line (the cause; later ones repeat it), so that the job's error says why. */
    private static String installFailure(int code, OutputTail installLog) {
        String reason = installLog.text().lines().filter(line -> line.startsWith("ERROR:")).findFirst()
                .map(line -> ": " + line.substring(0, Math.min(line.length(), MAX_REASON_CHARS))).orElse("");
        return "pip install exited with " + code + reason;
    }

    /**
     * The tail of an output file the job keeps; a job whose results go to the bucket also gets all of it
     * there ({@code exportName}), up to the artifact size limit (its end, beyond that), from the same read.
     */
    private OutputTail output(Job job, FinishedRunner finished, String path, String exportName) {
        boolean export = ResultsExport.wanted(job);
        int limit = export ? (int) Math.min(Integer.MAX_VALUE, settings.maxArtifactBytes()) : settings.outputTailBytes();
        Optional<FileTail> read = finished.tail(path, limit);
        byte[] bytes = read.map(FileTail::bytes).orElse(new byte[0]);
        if (export) {
            exports.output(job, exportName, bytes);
        }
        byte[] tail = Arrays.copyOfRange(bytes, Math.max(0, bytes.length - settings.outputTailBytes()), bytes.length);
        return read.map(file -> new OutputTail(new String(tail, StandardCharsets.UTF_8), file.totalSize() > tail.length))
                .orElse(OutputTail.EMPTY);
    }

    /** The job's result files: inline within the budget, larger ones as artifacts, the largest by size only. */
    private List<ResultFile> results(Job job, FinishedRunner finished) {
        String prefix = Runner.WORKDIR + "/";
        List<ResultFile> results = new ArrayList<>();
        long budget = settings.maxInlineResultBytes();
        for (String resultPath : job.spec().resultPaths()) {
            List<FileEntry> entries = resultPath.endsWith("/")
                    ? finished.list(Runner.WORKDIR, job.spec().resultPaths(), resultPath)
                    : List.of(new FileEntry(prefix + resultPath, resultPath, FileEntry.Type.FILE, -1));
            for (FileEntry entry : entries) {
                String relative = entry.path().startsWith(prefix) ? entry.path().substring(prefix.length()) : entry.path();
                if (entry.size() > settings.maxArtifactBytes()) {
                    results.add(ResultFile.omitted(relative, entry.size()));
                    continue;
                }
                Optional<byte[]> content = finished.read(Runner.WORKDIR, relative);
                if (content.isEmpty()) {
                    continue; // a named result file the job did not write
                }
                byte[] bytes = content.get();
                if (ResultsExport.wanted(job)) {
                    exports.resultFile(job, relative, bytes);
                }
                if (bytes.length <= budget) {
                    budget -= bytes.length;
                    results.add(ResultFile.inline(relative, bytes));
                } else if (bytes.length <= settings.maxArtifactBytes()) {
                    results.add(storeAsArtifact(job, relative, bytes));
                } else {
                    results.add(ResultFile.omitted(relative, bytes.length));
                }
            }
        }
        return results;
    }

    /** A large result kept as an artifact; if it cannot be stored now, it is listed by size only. */
    private ResultFile storeAsArtifact(Job job, String path, byte[] bytes) {
        try {
            return ResultFile.stored(path, bytes.length, artifacts.put(job.jobId(), path, bytes));
        } catch (RuntimeException e) {
            LOG.warning("job " + job.jobId() + ": could not store result " + path + " (" + e + "); listing it by size only");
            return ResultFile.omitted(path, bytes.length);
        }
    }
}
