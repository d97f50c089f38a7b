package dev.registry.server.connections;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import dev.registry.server.testing.RawHttp;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --max-connections}: one connection more is refused at once, the open ones keep being served. */
class ConnectionCapTest {

    private static final String HEALTH = "GET /health HTTP/1.1\r\nHost: registry\r\n\r\n";

    @TempDir
    Path dataDir;

    @Test
    void aConnectionBeyondTheCapGetsA503AndIsClosedWhileTheOpenOnesAreServed() {
        try (TestRegistry registry = new TestRegistry(
                        dataDir, s -> s.toBuilder().maxConnections(4).build(), Clock.systemUTC());
                Connections open = new Connections()) {
            int port = registry.server().port();
            for (int i = 0; i < 4; i++) {
                assertThat(open.add(new RawHttp(port)).send(HEALTH).reply().status(), is(200));
            }
            try (RawHttp fifth = new RawHttp(port)) {
                RawHttp.Reply refused = fifth.reply(); // answered before it sent anything
                assertThat(refused.status(), is(503));
                assertThat(refused.header("connection"), is("close"));
                assertThat(refused.header("content-type"), is("application/json"));
                assertThat(refused.text(), containsString("--max-connections"));
                assertThat(fifth.closedByServer(), is(true));
            }
            for (RawHttp served : open.all) {
                assertThat(served.send(HEALTH).reply().status(), is(200));
            }
            open.all.removeFirst().close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (RawHttp again = new RawHttp(port)) {
                    return again.send(HEALTH).reply().status() == 200;
                }
            });
        }
    }

    @Test
    void automaticallyTheCapServesHalfTheFreeDescriptors() {
        ConnectionLimit auto = ConnectionLimit.of(0, 256, 120);
        assertThat(auto.served(), is(68));
        assertThat(auto.accepted(), is(85));
        assertThat(auto.note().isPresent(), is(false));
        ConnectionLimit tooMany = ConnectionLimit.of(1000, 256, 120);
        assertThat(tooMany.served(), is(1000));
        assertThat(tooMany.note().orElseThrow(), containsString("more than the 136 file descriptors"));
        assertThat(ConnectionLimit.of(0, 100, 120).served(), is(1));
    }

    /** Raw connections closed together. */
    private static final class Connections implements AutoCloseable {
        final List<RawHttp> all = new ArrayList<>();

        RawHttp add(RawHttp connection) {
            all.add(connection);
            return connection;
        }

        @Override
        public void close() {
            all.forEach(RawHttp::close);
        }
    }
}
