package dev.registry.api.client;

/** No answer: connection refused, timed out, or cut. Worth retrying with backoff. */
public final class RegistryUnavailableException extends RegistryException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(-1, message, cause);
    }
}
