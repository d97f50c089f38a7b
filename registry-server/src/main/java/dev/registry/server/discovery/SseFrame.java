package dev.registry.server.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.PlainJson;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventReader.IndexedEncodedEvent;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One log event as a Server-Sent Events message, encoded once and shared by every stream that
 * sends it; with what the streams' filters look at.
 *
 * @param index      the event's log index (its {@code id:})
 * @param type       the event's type (its {@code event:})
 * @param service    the service it concerns, or null
 * @param timeMicros when it was appended (epoch microseconds)
 * @param bytes      the whole message, blank line included
 */
record SseFrame(long index, String type, String service, long timeMicros, byte[] bytes) {

    private static final ObjectMapper JSON = PlainJson.newMapper();

    static SseFrame of(IndexedEncodedEvent e, EventCodec codec) {
        ObjectNode event = codec.describe(e.index(), e.encoded());
        String text;
        try {
            text = "id: " + e.index() + "\nevent: " + e.encoded().type() + "\ndata: " + JSON.writeValueAsString(event)
                    + "\n\n";
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
        return new SseFrame(
                e.index(),
                e.encoded().type(),
                EventCodec.serviceOf(event),
                e.encoded().timeMicros(),
                text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a stream asking for this service and type (null: any) sends it. */
    boolean matches(String wantedService, String wantedType) {
        return (wantedType == null || wantedType.equals(type))
                && (wantedService == null || wantedService.equals(service));
    }
}
