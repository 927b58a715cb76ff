package dev.e2bjobs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.e2bjobs.sandbox.SandboxRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The job lifecycle: every named transition from every state, allowed exactly where the lifecycle allows it. */
class JobTest {
    private static final Instant NOW = Instant.parse("2026-11-21T09:00:00Z");
    private static final SandboxRef SANDBOX = new SandboxRef("isb1", "token", null);
    private static final JobSpec SPEC = new JobSpec(List.of(new JobFile("main.py", new byte[] {1})), List.of("python", "main.py"),
            List.of(), Map.of(), "base", 60, List.of("results/"), Map.of(), false, null, null, null);

    /** A job in {@code status}, with or without a sandbox and a slot. */
    private static Job in(JobStatus status, boolean withSandbox, boolean slotHeld) {
        return new Job("01JD0000000000000000000000", "ann", status, SPEC, NOW, withSandbox ? SANDBOX : null, null, null, slotHeld,
                LaunchBackoff.NONE, null, null, status.isTerminal() ? NOW : null, JobOutput.NONE, null, null, 3);
    }

    private static final Map<String, UnaryOperator<Job>> TRANSITIONS = Map.of(
            "starting", job -> job.starting(NOW),
            "withSandbox", job -> job.withSandbox(SANDBOX),
            "running", job -> job.running(NOW, NOW, 42),
            "requeued", job -> job.requeued(LaunchBackoff.NONE),
            "succeeded", job -> job.succeeded(NOW, JobOutput.NONE),
            "failed", job -> job.failed(NOW, FailureCode.START_FAILED.error("x"), JobOutput.NONE),
            "timedOut", job -> job.timedOut(NOW, new JobError("TIMED_OUT", "x"), JobOutput.NONE),
            "cancelled", job -> job.cancelled(NOW),
            "withSlotGivenBack", Job::withSlotGivenBack);

    /** Where each transition may start: a status, whether the job has a sandbox, whether it holds a slot. */
    private static boolean allowed(String transition, JobStatus from, boolean sandbox, boolean slot) {
        return switch (transition) {
            case "starting" -> from == JobStatus.QUEUED;
            case "withSandbox" -> from == JobStatus.STARTING && !sandbox;
            case "running" -> from == JobStatus.STARTING && sandbox;
            case "requeued" -> from == JobStatus.STARTING;
            case "succeeded", "timedOut" -> from == JobStatus.RUNNING;
            case "failed" -> from == JobStatus.RUNNING || from == JobStatus.STARTING;
            case "cancelled" -> !from.isTerminal();
            case "withSlotGivenBack" -> from.isTerminal() && slot;
            default -> throw new IllegalArgumentException(transition);
        };
    }

    static Stream<Arguments> everyTransitionFromEveryState() {
        List<Arguments> cases = new ArrayList<>();
        for (String transition : TRANSITIONS.keySet()) {
            for (JobStatus from : JobStatus.values()) {
                for (boolean sandbox : List.of(false, true)) {
                    for (boolean slot : List.of(false, true)) {
                        cases.add(Arguments.of(transition, from, sandbox, slot));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} from {1}, sandbox {2}, slot {3}")
    @MethodSource("everyTransitionFromEveryState")
    void isAllowedExactlyWhereTheLifecycleSays(String transition, JobStatus from, boolean sandbox, boolean slot) {
        Job job = in(from, sandbox, slot);
        if (allowed(transition, from, sandbox, slot)) {
            Job next = TRANSITIONS.get(transition).apply(job);
            assertTrue(next.status() == from || from.next().contains(next.status()), transition + " went to " + next.status());
        } else {
            assertThrows(IllegalTransitionException.class, () -> TRANSITIONS.get(transition).apply(job));
        }
    }

    @Test
    void theLifecycleHasNoWayBackFromAnEnd() {
        for (JobStatus status : JobStatus.values()) {
            assertEquals(status.isTerminal(), status.next().isEmpty(), status.name());
        }
        assertEquals(EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED, JobStatus.CANCELLED), JobStatus.STARTING.next());
    }

    @Test
    void aStartTakesASlotAndAStartThatGoesBackInLineKeepsItsPlaceAndGivesItBack() {
        Job starting = in(JobStatus.QUEUED, false, false).starting(NOW.plusSeconds(180));
        assertTrue(starting.slotHeld());
        assertEquals(NOW.plusSeconds(180), starting.deadline());

        LaunchBackoff backoff = LaunchBackoff.NONE.afterFailure(NOW, java.time.Duration.ofSeconds(2), java.time.Duration.ofMinutes(1));
        Job requeued = starting.withSandbox(SANDBOX, new JobEnvironment("env-1", true)).requeued(backoff);
        assertEquals(JobStatus.QUEUED, requeued.status());
        assertEquals(NOW, requeued.createdAt(), "its place in line is its creation");
        assertNull(requeued.sandbox());
        assertNull(requeued.environment(), "the next start may find the environment otherwise");
        assertEquals(false, requeued.slotHeld());
        assertEquals(NOW.plusSeconds(2), requeued.backoff().notBefore());
    }

    @Test
    void aRunningJobKeepsNoFileBytesAndItsEndKeepsItsSlotUntilGivenBack() {
        Job running = in(JobStatus.STARTING, true, true).running(NOW, NOW.plusSeconds(90), 42);
        assertEquals(List.of(), running.spec().files());
        Job cancelled = running.cancelled(NOW);
        assertEquals("CANCELLED", cancelled.error().code());
        assertTrue(cancelled.slotHeld(), "its sandbox may still run: the slot goes back once it is gone");
        assertEquals(false, cancelled.withSlotGivenBack().slotHeld());
    }
}
