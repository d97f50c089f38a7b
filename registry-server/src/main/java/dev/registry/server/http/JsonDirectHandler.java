package dev.registry.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.util.Locale;

/**
 * JSON bodies for the errors the web server answers itself, before a request reaches the
 * routes (an unparsable request line, a malformed percent-escape, an oversized
 * header): clients get {@code {"error": ...}} there too, never an empty or plain-text body.
 */
public final class JsonDirectHandler implements DirectHandler {

    /** Direct handlers for every event type, all answering in JSON. */
    public static DirectHandlers forAllEvents() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        JsonDirectHandler handler = new JsonDirectHandler();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status defaultStatus,
            ServerResponseHeaders responseHeaders,
            String message) {
        if (eventType == EventType.HTTP_VERSION_NOT_SUPPORTED) {
            // Helidon 4.5 speaks HTTP/1.1 only and would say 505, a server error; the client can
            // do better, and 426 says how (RFC 9110 15.5.22). The connection is closed after.
            return reply(
                    request,
                    TransportResponse.builder()
                            .status(Status.UPGRADE_REQUIRED_426)
                            .headers(responseHeaders)
                            .header(HeaderNames.UPGRADE, "HTTP/1.1"),
                    request.protocolVersion() + " is not supported: use HTTP/1.1");
        }
        // A request whose first line could not even be read (Helidon reports some such lines,
        // e.g. a method with non-ASCII bytes, as internal errors) is the client's fault: 400.
        Status status =
                eventType == EventType.INTERNAL_ERROR && request.method().isEmpty()
                        ? Status.BAD_REQUEST_400
                        : defaultStatus;
        // The server's message can echo raw request bytes or internals; the status says enough.
        String error = status.reasonPhrase();
        if (status == Status.BAD_REQUEST_400) {
            error += ": malformed request" + (request.path().isEmpty() ? "" : " (" + request.path() + ")");
        } else if (status.code() == 501
                && !request.method().equals(request.method().toUpperCase(Locale.ROOT))) {
            error += ": method " + request.method() + " (methods are case-sensitive)"; // see CaseSensitiveMethods
        }
        return reply(
                request,
                TransportResponse.builder()
                        .status(status)
                        .headers(responseHeaders)
                        .keepAlive(eventType.keepAlive()),
                error);
    }

    private static TransportResponse reply(TransportRequest request, TransportResponse.Builder builder, String error) {
        builder.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (!"HEAD".equals(request.method())) { // a HEAD gets the headers only
            builder.entity(ReplyJson.error(error));
        }
        return builder.build();
    }
}
