package dev.e2bjobs.sandbox;

/** A sandbox call failed; each subclass is one failure mode a caller can act on. */
public abstract class SandboxException extends RuntimeException {

    protected SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
