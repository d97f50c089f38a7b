package dev.registry.server.stats;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import org.junit.jupiter.api.Test;

/** GET /stats. */
class StatsContractTest extends RegistryTestBase {

    @Test
    void statsCountByHealthStatusAndHost() {
        http.post("/services", Http.registration("a", 1, null));
        http.post(
                "/services",
                Http.registration("b", 1, null).replace("\"host\":\"127.0.0.1\"", "\"host\":\"127.0.0.2\""));
        http.post("/services", Http.registration("c", 1, null).replace("\"running\"", "\"stopped\""));

        Http.Reply reply = http.get("/stats");

        assertThat(reply.status(), is(200));
        JsonNode s = reply.json();
        assertThat(s.get("total_services").asInt(), is(3));
        assertThat(s.get("healthy_services").asInt(), is(2));
        assertThat(s.get("unhealthy_services").asInt(), is(1));
        assertThat(s.get("status_distribution").toString(), is("{\"running\":2,\"stopped\":1}"));
        assertThat(s.get("host_distribution").toString(), is("{\"127.0.0.1\":2,\"127.0.0.2\":1}"));
        assertThat(s.get("uptime").isNumber(), is(true));
        assertThat(s.get("uptime").asDouble(), greaterThanOrEqualTo(0.0));
        assertThat(s.get("timestamp").isTextual(), is(true));
    }

    @Test
    void emptyRegistryStats() {
        JsonNode s = http.get("/stats").json();
        assertThat(s.get("total_services").asInt(), is(0));
        assertThat(s.get("status_distribution").toString(), is("{}"));
        assertThat(s.get("host_distribution").toString(), is("{}"));
    }
}
