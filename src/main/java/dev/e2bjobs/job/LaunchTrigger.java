package dev.e2bjobs.job;

import java.util.List;

/**
 * Hands the launching of queued jobs to the launch function, without waiting for it. Best effort: a
 * trigger that is lost costs at most one sweep interval, since the sweep launches queued jobs too.
 */
public interface LaunchTrigger {

    /**
     * Asks for a launch; never throws. {@code jobIds} names jobs just queued (the launcher reads them
     * directly, as the store's index of queued jobs may lag behind a write); {@code reason} is for the logs.
     */
    void trigger(String reason, List<String> jobIds);
}
