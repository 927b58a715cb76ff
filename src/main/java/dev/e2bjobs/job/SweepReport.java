package dev.e2bjobs.job;

import java.util.List;

/** What one sweep did, step by step; a step that failed says so, and the steps after it ran all the same. */
public record SweepReport(List<Step> steps) {

    public SweepReport {
        steps = List.copyOf(steps);
    }

    /**
     * @param acted   jobs or sandboxes the step changed
     * @param failed  how many of its actions failed
     * @param error   the first failure's message, or null
     */
    public record Step(String step, int acted, int failed, String error) {
    }

    public Step step(String name) {
        return steps.stream().filter(s -> s.step().equals(name)).findFirst().orElseThrow();
    }
}
