package dev.registry.server.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.server.testing.BeforeTheLog;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** POST /services: success shape, replacement, leniencies and every validation error. */
class RegisterContractTest extends RegistryTestBase {

    @Test
    void registerReturns201WithMessageAndFullRecord() {
        Http.Reply reply = http.post("/services", """
                {"name":"llama-1","host":"127.0.0.7","port":8000,"hostname":"gpu-7","url":"http://127.0.0.7:8000",
                 "status":"running","metadata":{"type":"openai-api","models":["llama"],"weight":2.5,"nested":{"a":[1,null,true]}}}
                """);

        assertThat(reply.status(), is(201));
        assertThat(reply.contentType(), startsWith("application/json"));
        JsonNode body = reply.json();
        assertThat(body.get("message").asText(), is("Service 'llama-1' registered successfully"));
        JsonNode s = body.get("service");
        assertThat(s.get("name").asText(), is("llama-1"));
        assertThat(s.get("host").asText(), is("127.0.0.7"));
        assertThat(s.get("port").isInt(), is(true));
        assertThat(s.get("port").asInt(), is(8000));
        assertThat(s.get("hostname").asText(), is("gpu-7"));
        assertThat(s.get("url").asText(), is("http://127.0.0.7:8000"));
        assertThat(s.get("status").asText(), is("running"));
        assertThat(s.get("timestamp").isTextual(), is(true));
        assertThat(
                s.get("timestamp").asText(),
                matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00"));
        assertThat(s.get("last_heartbeat").isDouble(), is(true));
        assertThat(s.get("last_heartbeat").asDouble(), closeTo(System.currentTimeMillis() / 1000.0, 30));
        assertThat(s.get("health_status").asText(), is("unknown"));
        assertThat(
                s.get("metadata").toString(),
                is("{\"type\":\"openai-api\",\"models\":[\"llama\"],\"weight\":2.5,\"nested\":{\"a\":[1,null,true]}}"));
        assertThat(s.get("is_healthy").asBoolean(), is(true));
        assertThat(
                fieldNames(s),
                is(List.of(
                        "name",
                        "host",
                        "port",
                        "hostname",
                        "url",
                        "status",
                        "timestamp",
                        "last_heartbeat",
                        "health_status",
                        "metadata",
                        "is_healthy")));
    }

    @Test
    void compactJsonSoOperatorsCanGrepForName() {
        register("grep-me");
        assertThat(http.get("/services").body(), containsString("\"name\":\"grep-me\""));
    }

    @Test
    void clientTimestampIsKeptVerbatimAndMetadataDefaultsToEmptyObject() {
        Http.Reply reply = http.post("/services", """
                {"name":"a","host":"h","port":1,"hostname":"hn","url":"u","status":"starting","timestamp":"yesterday-ish"}""");
        JsonNode s = reply.json().get("service");
        assertThat(s.get("timestamp").asText(), is("yesterday-ish"));
        assertThat(s.get("metadata").toString(), is("{}"));
        assertThat(s.get("is_healthy").asBoolean(), is(false));
    }

    @Test
    void reRegisteringReplacesTheRecordAndStill201() {
        register("dup", 8000, "{\"v\":1}");
        Http.Reply again = http.post("/services", Http.registration("dup", 9000, "{\"v\":2}"));

        assertThat(again.status(), is(201));
        JsonNode list = http.get("/services").json();
        assertThat(list.get("total").asInt(), is(1));
        assertThat(list.get("services").get(0).get("port").asInt(), is(9000));
        assertThat(list.get("services").get(0).get("metadata").get("v").asInt(), is(2));
    }

    @Test
    void unknownFieldsAreIgnoredAndAnyContentTypeIsAccepted() {
        Http.Reply reply = http.send(
                HttpRequest.newBuilder(URI.create(http.base() + "/services"))
                        .header("Content-Type", "text/plain")
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        "{\"name\":\"x\",\"host\":\"h\",\"port\":80,\"hostname\":\"n\",\"url\":\"u\",\"status\":\"running\",\"zone\":\"eu\"}")));
        assertThat(reply.status(), is(201));
        assertThat(reply.json().get("service").has("zone"), is(false));
    }

    @BeforeTheLog
    @ParameterizedTest(name = "{0} -> missing {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{}|name",
                "{\"host\":\"h\",\"port\":1,\"hostname\":\"n\",\"url\":\"u\",\"status\":\"s\"}|name",
                "{\"name\":\"a\"}|host",
                "{\"name\":\"a\",\"host\":\"h\"}|port",
                "{\"name\":\"a\",\"host\":\"h\",\"port\":1}|hostname",
                "{\"name\":\"a\",\"host\":\"h\",\"port\":1,\"hostname\":\"n\"}|url",
                "{\"name\":\"a\",\"host\":\"h\",\"port\":1,\"hostname\":\"n\",\"url\":\"u\"}|status",
                "{\"name\":\"a\",\"status\":\"s\",\"url\":\"u\"}|host",
                "[]|name",
                "[{\"name\":\"a\"}]|name",
            })
    void missingRequiredFieldsAreReportedInOrderOneAtATime(String body, String field) {
        Http.Reply reply = http.post("/services", body);
        assertThat(reply.status(), is(400));
        assertThat(reply.json().toString(), is("{\"error\":\"Missing required field: " + field + "\"}"));
    }

    @BeforeTheLog
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"{not json", "''", "{\"name\":\"a\",}", "{\"name\":\"a\"} trailing"})
    void invalidJsonIs400(String body) {
        Http.Reply reply = http.post("/services", body);
        assertThat(reply.status(), is(400));
        assertThat(reply.json().toString(), is("{\"error\":\"Invalid JSON\"}"));
    }

    @Test
    void noBodyAtAllIsInvalidJson() {
        Http.Reply reply = http.send("POST", "/services", null);
        assertThat(reply.status(), is(400));
        assertThat(reply.json().get("error").asText(), is("Invalid JSON"));
    }

    @BeforeTheLog
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"\"just a string\"", "42", "true", "null"})
    void scalarBodiesAre400Not500(String body) {
        Http.Reply reply = http.post("/services", body);
        assertThat(reply.status(), is(400));
        assertThat(reply.json().get("error").asText(), is("Request body must be a JSON object"));
    }

    @BeforeTheLog
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"port\":\"abc\"|port",
                "\"port\":0|port",
                "\"port\":65536|port",
                "\"port\":-1|port",
                "\"port\":80.5|port",
                "\"port\":null|port",
                "\"port\":99999999999|port",
                "\"host\":5|host",
                "\"host\":null|host",
                "\"hostname\":[]|hostname",
                "\"url\":{}|url",
                "\"status\":true|status",
                "\"name\":7|name",
                "\"metadata\":null|metadata",
                "\"metadata\":[1]|metadata",
                "\"metadata\":\"x\"|metadata",
                "\"timestamp\":12|timestamp",
            })
    void wrongTypesAre400NamingTheFieldAndStoreNothing(String override, String field) {
        int before = logSize();
        String body = withField(override);

        Http.Reply reply = http.post("/services", body);

        assertThat(body, reply.status(), is(400));
        assertThat(reply.json().get("error").asText(), containsString("'" + field + "'"));
        assertThat(http.get("/services").json().get("total").asInt(), is(0));
        assertThat(logSize(), is(before));
    }

    @Test
    void metadataNestedBeyondTheLimitIs400NamingIt() {
        String deep = "[".repeat(100) + "]".repeat(100);
        Http.Reply reply = http.post("/services", Http.registration("deep", 1, "{\"x\":" + deep + "}"));
        assertThat(reply.status(), is(400));
        assertThat(reply.json().get("error").asText(), is("Request body nested deeper than 64 levels (--max-depth)"));
        assertThat(
                http.post("/services", Http.registration("ok", 1, "{\"x\":" + "[".repeat(30) + "]".repeat(30) + "}"))
                        .status(),
                is(201));
    }

    @Test
    void portBoundariesAreAccepted() {
        assertThat(http.post("/services", withField("\"port\":1")).status(), is(201));
        assertThat(http.post("/services", withField("\"port\":65535")).status(), is(201));
    }

    @Test
    void emptyAndOverlongNamesAre400() {
        assertThat(
                http.post("/services", withField("\"name\":\"\"")).json().toString(),
                is("{\"error\":\"Field 'name' must not be empty\"}"));
        assertThat(
                http.post("/services", withField("\"name\":\"" + "n".repeat(254) + "\""))
                        .status(),
                is(400));
        assertThat(
                http.post("/services", withField("\"name\":\"" + "n".repeat(253) + "\""))
                        .status(),
                is(201));
    }

    @Test
    void namesWithAnyCharactersRoundTripThroughEncodedPaths() {
        for (String name : List.of("a/b", "with space", "ünïcødé-模型", "q?x=1&y", "percent%41", "plus+sign")) {
            register(name);
            Http.Reply got = http.get("/services/" + Http.path(name));
            assertThat(name, got.status(), is(200));
            assertThat(got.json().get("name").asText(), is(name));
        }
    }

    /** A valid registration of "svc" with one field replaced or added. */
    private static String withField(String override) {
        String key = override.substring(0, override.indexOf(':'));
        String base =
                "{\"name\":\"svc\",\"host\":\"h\",\"port\":8000,\"hostname\":\"n\",\"url\":\"http://h:8000\",\"status\":\"running\"}";
        String replaced = base.replaceFirst(
                java.util.regex.Pattern.quote(key) + ":(\"[^\"]*\"|\\d+)",
                java.util.regex.Matcher.quoteReplacement(override));
        return replaced.equals(base) && !base.contains(override) ? base.replace("}", "," + override + "}") : replaced;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
