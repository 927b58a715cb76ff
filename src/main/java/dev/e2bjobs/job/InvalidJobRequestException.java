package dev.e2bjobs.job;

/** The request breaks a rule (a path, a size, a value); its code names the rule. */
public class InvalidJobRequestException extends JobRequestException {

    public InvalidJobRequestException(String code, String message) {
        super(code, message);
    }
}
