package dev.e2bjobs.sandbox;

/** The sandbox does not exist (any more): killed, expired, or never created. Not retried. */
public class SandboxNotFoundException extends SandboxException {

    public SandboxNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
