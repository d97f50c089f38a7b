package dev.registry.server.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PUT and DELETE /services/{name}. */
class UpdateDeleteContractTest extends RegistryTestBase {

    @Test
    void updateChangesOnlyTheGivenFieldsAndCountsAsHeartbeat() {
        JsonNode before = register("svc", 8000, "{\"type\":\"openai-api\",\"models\":[\"a\"]}");

        Http.Reply reply = http.put("/services/svc", "{\"port\":8001,\"status\":\"draining\",\"name\":\"ignored\"}");

        assertThat(reply.status(), is(200));
        assertThat(reply.json().get("message").asText(), is("Service 'svc' updated successfully"));
        JsonNode after = reply.json().get("service");
        assertThat(after.get("name").asText(), is("svc"));
        assertThat(after.get("port").asInt(), is(8001));
        assertThat(after.get("status").asText(), is("draining"));
        assertThat(after.get("host"), is(before.get("host")));
        assertThat(after.get("url"), is(before.get("url")));
        assertThat(after.get("timestamp"), is(before.get("timestamp")));
        assertThat(after.get("metadata"), is(before.get("metadata")));
        assertThat(
                after.get("last_heartbeat").asDouble(),
                greaterThan(before.get("last_heartbeat").asDouble()));
        assertThat(http.get("/services/svc").json(), is(after));
        assertThat(http.get("/services/ignored").status(), is(404));
    }

    @Test
    void metadataIsReplacedWhole() {
        register("svc", 8000, "{\"a\":1,\"b\":2}");
        JsonNode after =
                http.put("/services/svc", "{\"metadata\":{\"c\":3}}").json().get("service");
        assertThat(after.get("metadata").toString(), is("{\"c\":3}"));
    }

    @Test
    void updateOfUnknownNameIs404EvenWithABadBody() {
        assertThat(
                http.put("/services/ghost", "{\"port\":1}").json().toString(),
                is("{\"error\":\"Service 'ghost' not found\"}"));
        assertThat(http.put("/services/ghost", "{oops").status(), is(404));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{oops", "", "[1,2"})
    void updateWithInvalidJsonIs400AndChangesNothing(String body) {
        JsonNode before = register("svc");
        int events = logSize();
        Http.Reply reply = http.put("/services/svc", body);
        assertThat(reply.status(), is(400));
        assertThat(reply.json().toString(), is("{\"error\":\"Invalid JSON\"}"));
        assertThat(http.get("/services/svc").json(), is(before));
        assertThat(logSize(), is(events));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"port\":\"x\"}",
                "{\"port\":70000}",
                "{\"host\":1}",
                "{\"metadata\":null}",
                "{\"metadata\":[]}",
                "{\"status\":false}",
                "[]",
                "\"str\"",
                "3"
            })
    void updateWithWrongTypesIs400AndChangesNothing(String body) {
        JsonNode before = register("svc");
        int events = logSize();
        Http.Reply reply = http.put("/services/svc", body);
        assertThat(body, reply.status(), is(400));
        assertThat(reply.json().has("error"), is(true));
        assertThat(http.get("/services/svc").json(), is(before));
        assertThat(logSize(), is(events));
    }

    @Test
    void emptyObjectUpdateIsAHeartbeat() {
        JsonNode before = register("svc");
        JsonNode after = http.put("/services/svc", "{}").json().get("service");
        assertThat(
                after.get("last_heartbeat").asDouble(),
                greaterThan(before.get("last_heartbeat").asDouble()));
    }

    @Test
    void deleteRemovesTheRecordThen404() {
        register("svc");
        Http.Reply reply = http.delete("/services/svc");
        assertThat(reply.status(), is(200));
        assertThat(reply.json().toString(), is("{\"message\":\"Service 'svc' unregistered successfully\"}"));
        assertThat(http.get("/services/svc").status(), is(404));
        assertThat(http.get("/services").json().get("total").asInt(), is(0));
        Http.Reply again = http.delete("/services/svc");
        assertThat(again.status(), is(404));
        assertThat(again.json().get("error").asText(), containsString("'svc' not found"));
    }
}
