package dev.registry.server.security;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.registry.events.snapshot.SnapshotStore;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's input oddities: bytes that are not UTF-8, numbers a double cannot hold, a number
 * longer than the parser's limit. Refused with a 400 that says why and changes nothing, or stored
 * exactly as the client wrote them.
 */
class InputOdditiesTest extends RegistryTestBase {

    /** Every kind of JSON number a double would change, in compact JSON as a client sends it. */
    private static final String METADATA = "{\"type\":\"openai-api\",\"big\":1e999,\"tiny\":1e-99999999,"
            + "\"zeros\":1.10,\"exponent\":-2.5E+3,\"negative_zero\":-0,\"negative_float_zero\":-0.0,"
            + "\"long_int\":123456789012345678901234567890,\"digits\":0.1000000000000000000000000001,"
            + "\"plain\":2.5,\"int\":7,\"nested\":[1E2,{\"x\":1.0e-7}]}";

    @Test
    void bodiesThatAreNotUtf8Are400AndChangeNothing() {
        register("existing");
        String before = http.get("/services/existing").body();
        int events = logSize();
        List<byte[]> malformed = List.of(
                bytes(0xC0, 0xAF), // an overlong '/': Jackson alone read it as '/'
                bytes(0xE0, 0x80, 0xAF), // another overlong '/'
                bytes(0xED, 0xA0, 0x80), // a UTF-16 surrogate, encoded
                bytes(0xF4, 0x90, 0x80, 0x80), // beyond U+10FFFF
                bytes(0xFF)); // never a UTF-8 byte
        for (byte[] bad : malformed) {
            Http.Reply registration = send("POST", "/services", registrationWithName("evil", bad));
            assertThat(registration.body(), registration.status(), is(400));
            assertThat(registration.json().get("error").asText(), containsString("not valid UTF-8"));

            Http.Reply update = send("PUT", "/services/existing", join("{\"status\":\"", bad, "\"}"));
            assertThat(update.body(), update.status(), is(400));
        }
        assertThat(logSize(), is(events));
        assertThat(http.get("/services/existing").body(), is(before));
        assertThat(http.get("/services").json().get("total").asInt(), is(1));
        // well-formed UTF-8 beyond ASCII is a name like any other
        assertThat(
                send("POST", "/services", registrationWithName("évi", "l😀".getBytes(StandardCharsets.UTF_8)))
                        .status(),
                is(201));
    }

    @Test
    void metadataNumbersAreStoredAndReturnedExactlyAsWritten() {
        String stored = "\"metadata\":" + METADATA;
        Http.Reply created = http.post("/services", Http.registration("svc", 8000, METADATA));
        assertThat(created.body(), created.status(), is(201));
        assertThat(created.body(), containsString(stored));
        assertThat(http.get("/services/svc").body(), containsString(stored));
        assertThat(http.get("/services").body(), containsString(stored));
        assertThat(http.get("/services/svc/history").body(), containsString(stored));
        assertThat(http.get("/services/svc").body(), not(containsString("Infinity")));

        String updated = "{\"weight\":1e999,\"share\":0.50}";
        assertThat(http.put("/services/svc", "{\"metadata\":" + updated + "}").body(), containsString(updated));

        // the log holds them as written too: a replay gives them back
        registry.restart();
        assertThat(registry.server().recovery().snapshotIndex().isPresent(), is(false));
        assertThat(registry.http().get("/services/svc").body(), containsString("\"metadata\":" + updated));
    }

    @Test
    void metadataNumbersComeBackAsWrittenFromASnapshot() {
        registry.close();
        registry = new TestRegistry(dataDir, s -> s.withSnapshots(2, Duration.ZERO), java.time.Clock.systemUTC());
        http = registry.http();
        String stored = "\"metadata\":" + METADATA;
        assertThat(
                http.post("/services", Http.registration("svc", 8000, METADATA)).status(), is(201));
        long registeredAt = registry.server().view().lastIndex();
        // more events until a snapshot covers the registration: the start's own event took one
        // before it, and a count reached while that one is still being written waits for the next event
        SnapshotStore store = new SnapshotStore(dataDir, 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            assertThat(http.post("/services/svc/heartbeat", "").status(), is(200));
            return store.newestIndex().orElse(-1) >= registeredAt;
        });

        registry.restart();

        assertThat(registry.server().recovery().snapshotIndex().isPresent(), is(true));
        assertThat(registry.http().get("/services/svc").body(), containsString(stored));
    }

    @Test
    void aNumberLongerThanTheParsersLimitIsRefusedSayingSo() {
        int events = logSize();
        String longNumber = "1".repeat(1001);
        for (String metadata : List.of("{\"n\":" + longNumber + "}", "{\"n\":0." + longNumber + "}")) {
            Http.Reply refused = http.post("/services", Http.registration("svc", 8000, metadata));
            assertThat(refused.status(), is(400));
            assertThat(
                    refused.json().get("error").asText(), is("Request body has a number longer than 1000 characters"));
        }
        assertThat(logSize(), is(events));
        // and as long as the limit is fine, digit for digit
        String longest = "{\"n\":" + "9".repeat(1000) + "}";
        assertThat(
                http.post("/services", Http.registration("svc", 8000, longest)).body(), containsString(longest));
    }

    private Http.Reply send(String method, String path, byte[] body) {
        return http.send(HttpRequest.newBuilder(URI.create(http.base() + path))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static byte[] registrationWithName(String prefix, byte[] tail) {
        String registration = Http.registration(prefix + "NAME_TAIL", 8000, null);
        int at = registration.indexOf("NAME_TAIL");
        return join(registration.substring(0, at), tail, registration.substring(at + "NAME_TAIL".length()));
    }

    private static byte[] join(String head, byte[] middle, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(tail.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
