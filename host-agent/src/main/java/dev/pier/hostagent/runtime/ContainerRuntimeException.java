package dev.pier.hostagent.runtime;

/** A container could not be created, started or reached; the message says why, fit to record as a reason. */
public class ContainerRuntimeException extends RuntimeException {
    private final boolean badRequest;

    public ContainerRuntimeException(String message, boolean badRequest, Throwable cause) {
        super(message, cause);
        this.badRequest = badRequest;
    }

    /** Whether the spec itself is at fault (unknown image, command not found) rather than the engine. */
    public boolean isBadRequest() {
        return badRequest;
    }
}
