package dev.registry.server.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.events.event.ServiceChanges;
import dev.registry.server.config.RequestLimits;
import dev.registry.server.http.ApiException;
import dev.registry.server.rules.Command;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Request bodies to commands, without a server: what each body becomes, or which 4xx it gets. */
class ServiceRequestsTest {

    private static final String FULL = """
            {"name":"a","host":"10.0.0.1","port":8080,"hostname":"box","url":"http://10.0.0.1:8080",\
            "status":"running","metadata":{"gpu":"a100"}}""";
    private final ServiceRequests requests = new ServiceRequests(new RequestLimits(10, 64, 8), Integer.MAX_VALUE);

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private ApiException refusedRegistration(String body) {
        return assertThrows(ApiException.class, () -> requests.register(bytes(body)));
    }

    @Test
    void aFullRegistrationBecomesARegisterCommand() {
        Command.Register c = requests.register(bytes(FULL));

        assertThat(c.name(), is("a"));
        assertThat(c.port(), is(8080));
        assertThat(c.url(), is("http://10.0.0.1:8080"));
        assertThat(c.timestamp(), is(nullValue()));
        assertThat(c.metadata().get("gpu").asText(), is("a100"));
    }

    @Test
    void metadataDefaultsToAnEmptyObjectAndANullTimestampToTheServersTime() {
        Command.Register c = requests.register(
                bytes(
                        "{\"name\":\"a\",\"host\":\"h\",\"port\":1,\"hostname\":\"x\",\"url\":\"u\",\"status\":\"s\",\"timestamp\":null}"));

        assertThat(c.metadata().isEmpty(), is(true));
        assertThat(c.timestamp(), is(nullValue()));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{}|Missing required field: name",
                "[1]|Missing required field: name",
                "{\"name\":\"a\"}|Missing required field: host",
                "{\"name\":\"a\",\"host\":\"h\",\"port\":1,\"hostname\":\"x\",\"url\":\"u\"}|Missing required field: status",
                "{\"name\":\"\",\"host\":\"h\",\"port\":1,\"hostname\":\"x\",\"url\":\"u\",\"status\":\"s\"}|Field 'name' must not be empty",
                "{\"name\":\"elevenchars\",\"host\":\"h\",\"port\":1,\"hostname\":\"x\",\"url\":\"u\",\"status\":\"s\"}|Field 'name' must be at most 10 characters (--max-name-length)",
                "{\"name\":\"a\",\"host\":7,\"port\":1,\"hostname\":\"x\",\"url\":\"u\",\"status\":\"s\"}|Field 'host' must be a string",
                "{\"name\":\"a\",\"host\":\"h\",\"port\":0,\"hostname\":\"x\",\"url\":\"u\",\"status\":\"s\"}|Field 'port' must be an integer between 1 and 65535",
                "{\"name\":\"a\",\"host\":\"h\",\"port\":1.5,\"hostname\":\"x\",\"url\":\"u\",\"status\":\"s\"}|Field 'port' must be an integer between 1 and 65535",
                "{\"name\":\"a\",\"host\":\"h\",\"port\":1,\"hostname\":\"x\",\"url\":\"u\",\"status\":\"s\",\"metadata\":[]}|Field 'metadata' must be an object",
                "{\"name\":\"a\",\"host\":\"h\",\"port\":1,\"hostname\":\"x\",\"url\":\"u\",\"status\":\"s\",\"timestamp\":5}|Field 'timestamp' must be a string",
                "\"text\"|Request body must be a JSON object",
                "{oops|Invalid JSON",
                "{} {}|Invalid JSON",
                "[[[[[[[[[[]]]]]]]]]]|Request body nested deeper than 8 levels (--max-depth)",
            })
    void badRegistrationsAre400WithTheContractsMessage(String body, String message) {
        ApiException refused = refusedRegistration(body);

        assertThat(refused.status(), is(400));
        assertThat(refused.getMessage(), is(message));
    }

    @Test
    void anEmptyBodyIsInvalidJson() {
        assertThat(refusedRegistration("").getMessage(), is("Invalid JSON"));
    }

    @Test
    void metadataOverTheLimitIs413() {
        String big = FULL.replace("\"a100\"", "\"" + "x".repeat(100) + "\"");

        ApiException refused = refusedRegistration(big);

        assertThat(refused.status(), is(413));
        assertThat(
                refused.getMessage(),
                is("Field 'metadata' is 110 bytes of JSON: the limit is 64 bytes (--max-metadata)"));
    }

    @Test
    void anUpdateCarriesOnlyTheFieldsGiven() {
        Command.Update c = requests.update("a", bytes("{\"port\":9090,\"status\":\"draining\",\"zone\":\"ignored\"}"));

        assertThat(c.name(), is("a"));
        assertThat(c.changes(), is(new ServiceChanges(null, 9090, null, null, "draining", null)));
    }

    @Test
    void anUpdateWithAWrongTypeIsRefused() {
        ApiException refused = assertThrows(ApiException.class, () -> requests.update("a", bytes("{\"url\":false}")));

        assertThat(refused.status(), is(400));
        assertThat(refused.getMessage(), is("Field 'url' must be a string"));
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "``|",
                "{oops|",
                "[\"draining\"]|",
                "{\"status\":5}|",
                "{\"status\":\"draining\"}|draining",
            })
    void aHeartbeatIsAHeartbeatWhateverItsBody(String body, String status) {
        Command.Heartbeat c = requests.heartbeat("a", bytes(body == null ? "" : body));

        assertThat(c.status(), is(status));
        assertThat(c.cause(), is("client"));
    }
}
