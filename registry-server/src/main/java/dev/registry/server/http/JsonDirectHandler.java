package dev.registry.server.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

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
        // A request whose first line could not even be read (Helidon reports some such lines,
        // e.g. a method with non-ASCII bytes, as internal errors) is the client's fault: 400.
        Status status =
                eventType == EventType.INTERNAL_ERROR && request.method().isEmpty()
                        ? Status.BAD_REQUEST_400
                        : defaultStatus;
        // The server's message can echo raw request bytes or internals; the status says enough.
        String error = status.reasonPhrase()
                + (status == Status.BAD_REQUEST_400
                        ? ": malformed request" + (request.path().isEmpty() ? "" : " (" + request.path() + ")")
                        : "");
        return TransportResponse.builder()
                .status(status)
                .headers(responseHeaders)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .keepAlive(eventType.keepAlive())
                .entity(ReplyJson.error(error))
                .build();
    }
}
