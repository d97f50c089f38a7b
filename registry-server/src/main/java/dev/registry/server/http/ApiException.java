package dev.registry.server.http;

/** A request the API refuses: an HTTP status and the message for the JSON {@code error} field. */
public final class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    public static ApiException serviceNotFound(String name) {
        return new ApiException(404, "Service '" + name + "' not found");
    }
}
