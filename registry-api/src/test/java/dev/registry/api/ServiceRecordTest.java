package dev.registry.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ServiceRecordTest {

    private static ServiceRecord record(String url, double heartbeat, ObjectNode metadata) {
        return new ServiceRecord("svc", "10.0.0.1", 8000, "node", url, "running", "t", heartbeat, null, metadata);
    }

    private static ObjectNode metadata(String model) {
        return JsonNodeFactory.instance.objectNode().put("model", model);
    }

    @Test
    void anEqualRecordIsTakenWhole() {
        ServiceRecord live = record(new String("http://a"), 1.5, metadata("m"));
        ServiceRecord replayed = record(new String("http://a"), 1.5, metadata("m"));

        assertThat(replayed.sharingPartsOf(live), sameInstance(live));
        assertThat(replayed.sharingPartsOf(null), sameInstance(replayed));
    }

    @Test
    void aDifferentRecordKeepsItsValuesAndTakesTheEqualParts() {
        ServiceRecord live = record(new String("http://a"), 2.5, metadata("m"));
        ServiceRecord replayed = record(new String("http://a"), 1.5, metadata("m"));

        ServiceRecord shared = replayed.sharingPartsOf(live);

        assertThat(shared, is(replayed));
        assertThat(shared, is(not(live)));
        assertThat(shared.url(), sameInstance(live.url()));
        assertThat(shared.metadata(), sameInstance(live.metadata()));
    }

    @Test
    void aRecordThatSharesAllItCanAlreadyIsKept() {
        ServiceRecord live = record("http://a", 2.5, metadata("m"));
        ServiceRecord replayed = live.withHeartbeat(1.5, null); // the live record's parts, another heartbeat

        assertThat(replayed.sharingPartsOf(live), sameInstance(replayed));
    }

    @Test
    void partsThatDifferStayTheRecordsOwn() {
        ServiceRecord live = record("http://a", 1.5, metadata("m"));
        ServiceRecord replayed = record("http://b", 1.5, metadata("n"));

        ServiceRecord shared = replayed.sharingPartsOf(live);

        assertThat(shared, is(replayed));
        assertThat(shared.url(), sameInstance(replayed.url()));
        assertThat(shared.metadata(), sameInstance(replayed.metadata()));
    }

    @Test
    void fromJsonReadsTheWireFormBackAndKeepsItsMetadataNode() throws Exception {
        ObjectMapper json = PlainJson.newMapper();
        ServiceRecord r = record("http://a", 1_764_547_200.123456, metadata("m"));
        ObjectNode wire = json.valueToTree(r);
        wire.put(RecordFields.IS_HEALTHY, true); // not stored: ignored
        ObjectNode parsed = (ObjectNode) json.readTree(json.writeValueAsBytes(wire));

        ServiceRecord back = ServiceRecord.fromJson(parsed);

        assertThat(back, is(r));
        assertThat(back.metadata(), sameInstance(parsed.get(RecordFields.METADATA)));
        assertThat(back, is(json.convertValue(json.valueToTree(r), ServiceRecord.class)));
    }

    @Test
    void fromJsonRefusesWhatTheConversionRefused() throws Exception {
        ObjectMapper json = PlainJson.newMapper();
        ObjectNode wire = json.valueToTree(record("http://a", 1.5, metadata("m")));

        assertThat(
                ServiceRecord.fromJson(wire.deepCopy().put(RecordFields.PORT, "8001"))
                        .port(),
                is(8001));
        assertThat(
                ServiceRecord.fromJson(wire.deepCopy().putNull(RecordFields.HEALTH_STATUS))
                        .healthStatus(),
                is(ServiceRecord.HEALTH_UNKNOWN));
        assertThrows(
                NullPointerException.class,
                () -> ServiceRecord.fromJson(wire.deepCopy().putNull("name")));
        assertThrows(
                NullPointerException.class,
                () -> ServiceRecord.fromJson(wire.deepCopy().without("url")));
        assertThrows(
                IllegalArgumentException.class,
                () -> ServiceRecord.fromJson(wire.deepCopy().put(RecordFields.PORT, "eighty")));
        ObjectNode arrayMetadata = wire.deepCopy();
        arrayMetadata.putArray(RecordFields.METADATA);
        assertThrows(IllegalArgumentException.class, () -> ServiceRecord.fromJson(arrayMetadata));
        ObjectNode objectHost = wire.deepCopy();
        objectHost.putObject(RecordFields.HOST);
        assertThrows(IllegalArgumentException.class, () -> ServiceRecord.fromJson(objectHost));
    }
}
