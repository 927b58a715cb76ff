package dev.e2bjobs.job;

/** Every sandbox slot of the deployment is held: the job stays QUEUED. */
public class NoFreeSlotException extends RuntimeException {

    public NoFreeSlotException(int cap) {
        super("all " + cap + " sandbox slots are held");
    }
}
