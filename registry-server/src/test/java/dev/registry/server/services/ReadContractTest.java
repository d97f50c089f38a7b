package dev.registry.server.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /services (with filters) and GET /services/{name}. */
class ReadContractTest extends RegistryTestBase {

    @Test
    void emptyRegistryListsNothing() {
        Http.Reply reply = http.get("/services");
        assertThat(reply.status(), is(200));
        JsonNode body = reply.json();
        assertThat(body.get("services").isArray(), is(true));
        assertThat(body.get("services").size(), is(0));
        assertThat(body.get("total").asInt(), is(0));
        assertThat(body.get("timestamp").isTextual(), is(true));
    }

    @Test
    void getReturnsTheRecordAsRegistered() {
        JsonNode registered = register("one", 8100, "{\"type\":\"openai-api\",\"models\":[\"m\"]}");
        Http.Reply reply = http.get("/services/one");
        assertThat(reply.status(), is(200));
        assertThat(reply.json(), is(registered));
    }

    @Test
    void unknownNameIs404WithTheContractMessage() {
        Http.Reply reply = http.get("/services/ghost");
        assertThat(reply.status(), is(404));
        assertThat(reply.json().toString(), is("{\"error\":\"Service 'ghost' not found\"}"));
    }

    @Test
    void listKeepsRegistrationOrderAndReRegistrationKeepsThePlace() {
        register("c");
        register("a");
        register("b");
        register("c");
        assertThat(names(http.get("/services")), is(List.of("c", "a", "b")));
        http.delete("/services/a");
        register("a");
        assertThat(names(http.get("/services")), is(List.of("c", "b", "a")));
    }

    @Test
    void statusFilterIsAnExactMatchAndEmptyIsIgnored() {
        register("run-1");
        http.post("/services", Http.registration("stop-1", 1, null).replace("\"running\"", "\"stopped\""));
        http.post("/services", Http.registration("run-upper", 1, null).replace("\"running\"", "\"Running\""));

        assertThat(names(http.get("/services?status=running")), is(List.of("run-1")));
        assertThat(names(http.get("/services?status=stopped")), is(List.of("stop-1")));
        assertThat(http.get("/services?status=stopped").json().get("total").asInt(), is(1));
        assertThat(names(http.get("/services?status=")).size(), is(3));
        assertThat(names(http.get("/services?status=nothing")), is(empty()));
    }

    @Test
    void healthyFilterTrueInAnyCaseKeepsHealthyOtherValuesUnhealthy() {
        register("up");
        http.post("/services", Http.registration("down", 1, null).replace("\"running\"", "\"stopped\""));

        assertThat(names(http.get("/services?healthy=true")), is(List.of("up")));
        assertThat(names(http.get("/services?healthy=TRUE")), is(List.of("up")));
        assertThat(names(http.get("/services?healthy=True")), is(List.of("up")));
        assertThat(names(http.get("/services?healthy=false")), is(List.of("down")));
        assertThat(names(http.get("/services?healthy=yes")), is(List.of("down")));
        assertThat(names(http.get("/services?healthy=1")), is(List.of("down")));
        assertThat(names(http.get("/services?healthy=")), containsInAnyOrder("up", "down"));
    }

    @Test
    void filtersCombine() {
        register("up");
        http.post("/services", Http.registration("down", 1, null).replace("\"running\"", "\"stopped\""));
        assertThat(names(http.get("/services?status=stopped&healthy=false")), is(List.of("down")));
        assertThat(names(http.get("/services?status=stopped&healthy=true")), is(empty()));
        assertThat(names(http.get("/services?status=running&healthy=true")), is(List.of("up")));
        assertThat(
                http.get("/services?status=running&healthy=true")
                        .json()
                        .get("total")
                        .asInt(),
                is(1));
    }

    static List<String> names(Http.Reply reply) {
        assertThat(reply.body(), reply.status(), is(200));
        List<String> names = new ArrayList<>();
        reply.json().get("services").forEach(s -> names.add(s.get("name").asText()));
        assertThat(reply.json().get("total").asInt(), is(names.size()));
        return names;
    }
}
