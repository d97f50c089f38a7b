package dev.registry.server.http;

/** A request the API refuses: an HTTP status and the message for the JSON {@code error} field. */
public final class ApiException extends RuntimeException {

    private final int status;
    private final java.util.Map<String, String> details;
    private final java.util.Map<String, String> headers;

    public ApiException(int status, String message) {
        this(status, message, java.util.Map.of());
    }

    /** With extra string fields for the error body beside {@code error}. */
    public ApiException(int status, String message, java.util.Map<String, String> details) {
        this(status, message, details, java.util.Map.of());
    }

    private ApiException(
            int status, String message, java.util.Map<String, String> details, java.util.Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.details = java.util.Map.copyOf(details);
        this.headers = java.util.Map.copyOf(headers);
    }

    /** The same refusal with a header on its reply besides. */
    public ApiException withHeader(String name, String value) {
        java.util.Map<String, String> more = new java.util.HashMap<>(headers);
        more.put(name, value);
        return new ApiException(status, getMessage(), details, more);
    }

    /** Headers of the error reply besides {@code Content-Type}. */
    public java.util.Map<String, String> headers() {
        return headers;
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
