package dev.e2bjobs.job;

/** Hands a running job to a follower that waits for its end (the follow function), without waiting for it; never throws. */
public interface FollowTrigger {

    void follow(String jobId);
}
