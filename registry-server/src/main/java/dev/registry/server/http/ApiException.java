package dev.registry.server.http;

/** A request the API refuses: an HTTP status and the message for the JSON {@code error} field. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final java.util.Map<String, String> details;

    public ApiException(int status, String message) {
        this(status, message, java.util.Map.of());
    }

    /** With extra string fields for the error body beside {@code error}. */
    public ApiException(int status, String message, java.util.Map<String, String> details) {
        super(message, null, false, false);
        this.status = status;
        this.details = java.util.Map.copyOf(details);
    }

    public int status() {
        return status;
    }

    /** Extra fields of the error body. */
    public java.util.Map<String, String> details() {
        return details;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException serviceNotFound(String name) {
        return new ApiException(404, "Service '" + name + "' not found");
    }
}
