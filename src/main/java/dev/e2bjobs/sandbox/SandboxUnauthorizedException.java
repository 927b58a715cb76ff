package dev.e2bjobs.sandbox;

/** The credentials were missing, wrong, or lack a permission (401/403). Never retried. */
public class SandboxUnauthorizedException extends SandboxException {

    public SandboxUnauthorizedException(String message, Throwable cause) {
        super(message, cause);
    }
}
