package dev.registry.server.security;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random bytes, random JSON and random paths at every endpoint: never a 5xx, never a hang, and
 * afterwards the log replays into exactly the view the server holds, and a restart serves it.
 */
class FuzzTest extends RegistryTestBase {

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    private static final List<String> PATHS = List.of(
            "/services",
            "/services/%s",
            "/services/%s/heartbeat",
            "/services/%s/health",
            "/services/%s/history",
            "/health",
            "/stats",
            "/events",
            "/diff",
            "/%s",
            "/%s/%s");

    @Test
    void randomRequestsNeverCauseA5xxAndTheLogStaysWhole() throws IOException {
        Random random = new Random(20261128);
        register("fuzz-target");
        for (int i = 0; i < 1500; i++) {
            String method = METHODS.get(random.nextInt(METHODS.size()));
            String path = String.format(
                    PATHS.get(random.nextInt(PATHS.size())), encode(randomText(random)), encode(randomText(random)));
            if (random.nextInt(4) == 0) {
                path += "?" + encode(randomText(random)) + "=" + encode(randomText(random)) + "&index="
                        + random.nextInt() + "&at=" + encode(randomText(random));
            }
            byte[] body = switch (random.nextInt(4)) {
                case 0 -> randomBytes(random);
                case 1 -> randomJson(random, 0).getBytes(StandardCharsets.UTF_8);
                case 2 -> mutatedRegistration(random).getBytes(StandardCharsets.UTF_8);
                default -> new byte[0];
            };
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.base() + path))
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            if ("HEAD".equals(method) || body.length == 0) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            Http.Reply reply = http.send(request);
            assertThat(method + " " + path + " -> " + reply.body(), reply.status(), lessThan(500));
        }
        for (int i = 0; i < 100; i++) {
            rawGarbage(randomBytes(random));
        }

        assertThat(http.get("/health").status(), is(200));
        RegistryView replayed = new RegistryView();
        for (LoggedEvent e : registry.logEvents()) {
            Projector.apply(replayed, e);
        }
        assertThat(replayed.snapshot(), is(registry.server().view().snapshot()));
        String before = http.get("/services").json().get("services").toString();
        registry.restart();
        http = registry.http();
        assertThat(http.get("/services").json().get("services").toString(), is(before));
    }

    /** Writes raw bytes as a whole request; the server may answer 4xx or close, but must live on. */
    private void rawGarbage(byte[] bytes) throws IOException {
        URI base = URI.create(http.base());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readAllBytes();
            if (reply.length >= 12) {
                int status = Integer.parseInt(new String(reply, 9, 3, StandardCharsets.US_ASCII));
                assertThat(
                        new String(reply, StandardCharsets.ISO_8859_1) + " for "
                                + java.util.HexFormat.of().formatHex(bytes, 0, Math.min(40, bytes.length)),
                        status,
                        lessThan(500));
            }
        } catch (java.net.SocketException closedOnUs) {
            // closing the connection is a fine answer to garbage
        }
    }

    private static String randomText(Random r) {
        int n = r.nextInt(12);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.appendCodePoint(
                    switch (r.nextInt(4)) {
                        case 0 -> 'a' + r.nextInt(26);
                        case 1 -> 0x20 + r.nextInt(0x60);
                        case 2 -> 0x80 + r.nextInt(0x700);
                        default -> 0x1F600 + r.nextInt(0x40);
                    });
        }
        return b.toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(300)];
        r.nextBytes(b);
        return b;
    }

    private static String randomJson(Random r, int depth) {
        return switch (depth > 4 ? r.nextInt(4) : r.nextInt(7)) {
            case 0 -> Integer.toString(r.nextInt());
            case 1 -> Http.quote(randomText(r));
            case 2 -> r.nextBoolean() ? "true" : "null";
            case 3 -> Double.toString(r.nextGaussian() * 1e6);
            case 4 -> "[" + randomJson(r, depth + 1) + "," + randomJson(r, depth + 1) + "]";
            default ->
                "{" + Http.quote(randomText(r)) + ":" + randomJson(r, depth + 1) + ","
                        + Http.quote(List.of("name", "host", "port", "status", "metadata", "url")
                                .get(r.nextInt(6))) + ":"
                        + randomJson(r, depth + 1) + "}";
        };
    }

    /** A valid registration with one field replaced by random JSON. */
    private static String mutatedRegistration(Random r) {
        String field = List.of("name", "host", "port", "hostname", "url", "status", "metadata", "timestamp")
                .get(r.nextInt(8));
        String base = Http.registration("fuzz-" + r.nextInt(20), 1 + r.nextInt(65535), "{\"type\":\"openai-api\"}");
        return base.substring(0, base.length() - 1) + "," + Http.quote(field) + ":" + randomJson(r, 2) + "}";
    }
}
