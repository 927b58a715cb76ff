package dev.e2bjobs.sandbox;

/** The provider cannot serve the call now (5xx, I/O error, timeout, open circuit). Retried before it reaches a caller. */
public class SandboxUnavailableException extends SandboxException {

    public SandboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
