package dev.registry.server.write;

/** The log did not take a write; nothing was applied and the client must be told so (5xx). */
public final class WriteFailedException extends RuntimeException {
    public WriteFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
