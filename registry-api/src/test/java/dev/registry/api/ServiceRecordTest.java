package dev.registry.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.sameInstance;

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
    void partsThatDifferStayTheRecordsOwn() {
        ServiceRecord live = record("http://a", 1.5, metadata("m"));
        ServiceRecord replayed = record("http://b", 1.5, metadata("n"));

        ServiceRecord shared = replayed.sharingPartsOf(live);

        assertThat(shared, is(replayed));
        assertThat(shared.url(), sameInstance(replayed.url()));
        assertThat(shared.metadata(), sameInstance(replayed.metadata()));
    }
}
