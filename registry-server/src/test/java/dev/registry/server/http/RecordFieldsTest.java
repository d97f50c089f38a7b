package dev.registry.server.http;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.registry.api.RecordFields;
import dev.registry.api.ServiceRecord;
import dev.registry.events.event.ServiceChanges;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.log.EventCodec;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Everything that writes a record's fields writes the one list in {@link RecordFields}, in its order. */
class RecordFieldsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ServiceRecord RECORD = new ServiceRecord(
            "a",
            "h",
            1,
            "x",
            "u",
            "running",
            "t",
            1.5,
            ServiceRecord.HEALTH_UNKNOWN,
            JsonNodeFactory.instance.objectNode().put("k", "v"));

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theServersEncoderWritesTheStoredFieldsThenIsHealthy() throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            ReplyJson.record(g, RECORD, true);
        }
        List<String> expected = new ArrayList<>(RecordFields.STORED);
        expected.add(RecordFields.IS_HEALTHY);

        assertThat(fieldNames(JSON.readTree(out.toString())), is(expected));
    }

    @Test
    void theClientsRecordReadsAndWritesTheSameFields() throws Exception {
        JsonNode written = JSON.valueToTree(RECORD);

        assertThat(fieldNames(written), is(RecordFields.STORED));
        assertThat(JSON.treeToValue(written, ServiceRecord.class), is(RECORD));
    }

    @Test
    void anUpdatedEventListsTheChangeableFields() {
        EventCodec codec = new EventCodec();
        ServiceChanges all = new ServiceChanges("h2", 2, "x2", "u2", "stopping", JsonNodeFactory.instance.objectNode());
        JsonNode described = codec.describe(0, codec.encode(new ServiceUpdated(Instant.EPOCH, "a", all)));

        assertThat(fieldNames(described.get("changes")), is(RecordFields.CHANGEABLE));
        assertThat(RecordFields.STORED.containsAll(RecordFields.REQUIRED), is(true));
        assertThat(RecordFields.STORED.containsAll(RecordFields.CHANGEABLE), is(true));
    }
}
