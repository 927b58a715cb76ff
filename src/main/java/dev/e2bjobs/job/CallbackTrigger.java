package dev.e2bjobs.job;

/** Hands an ended job's completion callback to the notify function, without waiting for it; never throws. */
public interface CallbackTrigger {

    void trigger(String jobId);
}
