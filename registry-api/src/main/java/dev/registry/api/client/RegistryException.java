package dev.registry.api.client;

/** The registry refused a request (4xx/5xx), or could not be reached. */
public class RegistryException extends RuntimeException {

    private final int status;

    public RegistryException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or -1 when there was no answer. */
    public int status() {
        return status;
    }
}
