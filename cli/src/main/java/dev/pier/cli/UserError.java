package dev.pier.cli;

/** A failure to tell the user in one line, without a stack trace. */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message, null, false, false);
    }
}
