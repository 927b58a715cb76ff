package dev.e2bjobs.sandbox;

/** The provider rejected the request as malformed or unsatisfiable (400 and the like). Never retried. */
public class SandboxRequestInvalidException extends SandboxException {

    public SandboxRequestInvalidException(String message, Throwable cause) {
        super(message, cause);
    }
}
