package dev.registry.server.http;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.server.testing.Http;
import dev.registry.server.testing.RegistryTestBase;
import dev.registry.server.testing.TestRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Heavy reads (time travel, diffs, long pages) take turns: with every turn held, the next one
 * waits briefly and is then refused with 503 and {@code Retry-After}, while writes and light
 * reads go on; no read writes anything.
 */
class HeavyReadsTest extends RegistryTestBase {

    /** 24 records of ~900 KB: a point-in-time list of ~21 MB, far beyond what socket buffers hold. */
    private static final int RECORDS = 24;

    @Override
    protected TestRegistry newRegistry(Path dir) {
        return new TestRegistry(dir, s -> s.toBuilder().maxHeavyReads(1).build(), java.time.Clock.systemUTC());
    }

    @Test
    void withTheOnlyTurnHeldHeavyReadsGet503WithRetryAfterAndNothingIsWritten() throws Exception {
        String blob = "x".repeat(900_000);
        Instant start = Instant.now();
        for (int i = 0; i < RECORDS; i++) {
            register("big-" + i, 8000 + i, "{\"blob\":\"" + blob + "\"}");
        }
        long lastIndex = Long.parseLong(http.get("/services/big-0")
                .headers()
                .firstValue("X-Registry-Index")
                .orElseThrow());
        int events = logSize();

        try (Socket holder = new Socket("127.0.0.1", registry.server().port())) {
            // a client that asks for the whole past list and then stops reading keeps its turn
            holder.setReceiveBufferSize(1024);
            OutputStream out = holder.getOutputStream();
            out.write(("GET /services?at_index=" + lastIndex + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(statusLine(holder.getInputStream()), is("HTTP/1.1 200 OK"));

            // all at once: each waits its second in the queue for the turn that never comes free
            List<String> heavies = List.of(
                    "/services?at_index=" + lastIndex,
                    "/services?at=" + Instant.now(),
                    "/diff?from=" + start + "&to=" + Instant.now(),
                    "/events?limit=5000",
                    "/events?type=registered",
                    "/services/big-1/history?heartbeats=true");
            List<Future<Http.Reply>> replies = new ArrayList<>();
            try (ExecutorService askers = Executors.newVirtualThreadPerTaskExecutor()) {
                heavies.forEach(heavy -> replies.add(askers.submit(() -> http.get(heavy))));
            }
            for (int i = 0; i < heavies.size(); i++) {
                String heavy = heavies.get(i);
                Http.Reply refused = replies.get(i).get();
                assertThat(heavy, refused.status(), is(503));
                assertThat(heavy, refused.headers().firstValue("Retry-After"), is(Optional.of("1")));
                assertThat(heavy, refused.contentType(), is("application/json"));
                assertThat(
                        heavy,
                        refused.json().get("error").asText(),
                        containsString("Too many heavy reads at once (at most 1, --max-heavy-reads)"));
            }
            // light reads are no heavy reads: they are answered meanwhile
            assertThat(http.get("/services/big-2").status(), is(200));
            assertThat(http.get("/events?limit=10").status(), is(200));
            assertThat(
                    http.get("/services/big-2/history?heartbeats=false&limit=1000")
                            .status(),
                    is(200));
            assertThat(http.get("/health").status(), is(200));
            assertThat("no read wrote an event", logSize(), is(events));

            assertThat(http.post("/services/big-3/heartbeat", "").status(), is(200));
        }
        // the holder is gone: its turn comes free once the server's write to it fails
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get("/services?at_index=" + lastIndex).status() == 200);
        Http.Reply past = http.get("/services?at_index=" + lastIndex);
        assertThat(past.json().get("total").asInt(), is(RECORDS));
        assertThat(past.json().get("at_index").asLong(), is(lastIndex));
        assertThat(
                http.get("/diff?from=" + start + "&to=" + Instant.now())
                        .json()
                        .get("added")
                        .size(),
                is(RECORDS));
        assertThat("only the heartbeat was written", logSize(), is(events + 1));
    }

    private static String statusLine(InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\r' && b != -1; b = in.read()) {
            line.append((char) b);
        }
        return line.toString();
    }
}
