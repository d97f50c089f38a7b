package dev.registry.events.log;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.PlainJson;
import dev.registry.events.SampleEvents;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceRegistered;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void everyEventTypeRoundTrips() {
        for (RegistryEvent event : SampleEvents.oneOfEach()) {
            EncodedEvent encoded = codec.encode(event);
            assertThat(
                    encoded.version(),
                    is(
                            event instanceof dev.registry.events.event.HeartbeatReceived
                                    ? EventCodec.HEARTBEAT_BINARY_VERSION
                                    : EventCodec.SCHEMA_VERSION));
            assertThat(encoded.type(), is(EventCodec.typeOf(event)));
            assertThat(codec.decode(encoded), is(event));
        }
    }

    @Test
    void describeGivesIndexTimeTypeAndFields() {
        RegistryEvent event = SampleEvents.oneOfEach().get(5);
        String described = codec.describe(42, codec.encode(event)).toString();
        assertThat(
                described,
                is("{\"index\":42,\"time\":\"2026-03-04T05:06:07.123456Z\",\"type\":\"heartbeat\","
                        + "\"name\":\"a\",\"cause\":\"client\"}"));
    }

    @Test
    void oldJsonHeartbeatsStillDecodeAndBinaryOnesDescribeAlike() {
        byte[] json = "{\"name\":\"a\",\"status\":\"running\",\"cause\":\"client\"}".getBytes(StandardCharsets.UTF_8);
        RegistryEvent old = codec.decode(new EncodedEvent("heartbeat", 1, 5_000_000, json));
        EncodedEvent binary = codec.encode(old);
        assertThat(binary.version(), is(EventCodec.HEARTBEAT_BINARY_VERSION));
        assertThat(codec.decode(binary), is(old));
        assertThat(codec.describe(1, binary), is(codec.describe(1, new EncodedEvent("heartbeat", 1, 5_000_000, json))));
    }

    @Test
    void truncatedBinaryHeartbeatsFailLoudly() {
        EncodedEvent binary = codec.encode(SampleEvents.oneOfEach().get(5));
        byte[] cut = java.util.Arrays.copyOf(binary.payload(), binary.payload().length - 2);
        assertThrows(
                IllegalStateException.class,
                () -> codec.decode(new EncodedEvent("heartbeat", 2, binary.timeMicros(), cut)));
    }

    @Test
    void unknownTypesAndVersionsFailLoudly() {
        byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
        IllegalStateException type = assertThrows(
                IllegalStateException.class, () -> codec.decode(new EncodedEvent("from-the-future", 1, 0, payload)));
        assertThat(type.getMessage(), containsString("from-the-future"));
        IllegalStateException version = assertThrows(
                IllegalStateException.class, () -> codec.decode(new EncodedEvent("heartbeat", 99, 0, payload)));
        assertThat(version.getMessage(), containsString("99"));
    }

    @Test
    void aStoredRecordWithAFieldThisBuildDoesNotKnowFailsLoudly() throws Exception {
        RegistryEvent registered = SampleEvents.oneOfEach().stream()
                .filter(e -> e instanceof ServiceRegistered)
                .findFirst()
                .orElseThrow();
        EncodedEvent encoded = codec.encode(registered);
        ObjectMapper json = PlainJson.newMapper();
        ObjectNode payload = (ObjectNode) json.readTree(encoded.payload());
        ((ObjectNode) payload.get("record")).put("zone", "eu-1"); // as a newer registry might store

        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class,
                () -> codec.decode(new EncodedEvent(
                        encoded.type(), encoded.version(), encoded.timeMicros(), json.writeValueAsBytes(payload))));
        assertThat(unknown.getMessage(), containsString("zone"));
        assertThat(codec.decode(encoded), is(registered));
    }

    @Test
    void microsecondTimesSurviveIncludingBeforeTheEpoch() {
        for (String t :
                new String[] {"1969-12-31T23:59:59.999999Z", "2026-11-28T06:30:00.000001Z", "1970-01-01T00:00:00Z"}) {
            java.time.Instant instant = java.time.Instant.parse(t);
            assertThat(EventCodec.fromMicros(EventCodec.toMicros(instant)), is(instant));
        }
    }
}
