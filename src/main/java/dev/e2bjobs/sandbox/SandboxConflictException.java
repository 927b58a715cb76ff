package dev.e2bjobs.sandbox;

/** The sandbox is in a state that forbids the call, e.g. being killed or paused (409). Not retried. */
public class SandboxConflictException extends SandboxException {

    public SandboxConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
