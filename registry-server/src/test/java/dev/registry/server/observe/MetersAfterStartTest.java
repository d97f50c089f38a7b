package dev.registry.server.observe;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import dev.registry.events.log.EventCodec;
import dev.registry.server.RegistryServer;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.PrometheusText;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new process makes its meters once it serves: what it recorded before (its start event, the
 * requests that found it serving) is counted all the same. A child JVM, since the meters are made
 * once per process and a test JVM has made them long before.
 */
class MetersAfterStartTest {

    @TempDir
    Path tmp;

    @Test
    void whatAServerRecordedBeforeItsMetersWereMadeIsCounted() {
        try (ChildRegistry child = ChildRegistry.start(tmp.resolve("data"))) {
            // the start event was appended before the port opened, so before the meters existed
            Http.Reply reply = child.http().get("/metrics");
            assertThat(reply.body(), reply.status(), is(200));
            PrometheusText meters = PrometheusText.parse(reply.body());

            assertThat(meters.value("registry_events_appended_total", "type", EventCodec.REGISTRY_STARTED), is(1.0));
            assertThat(meters.value("registry_build_info", "version", RegistryServer.version()), is(1.0));
            // the child's start was awaited by polling GET /health: the poll that answered is counted
            // (recorded just after its reply went out, so the scrape may come first)
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(
                            PrometheusText.parse(child.http().get("/metrics").body())
                                    .value(
                                            "registry_http_request_duration_seconds_count",
                                            "endpoint",
                                            "/health",
                                            "method",
                                            "GET",
                                            "status",
                                            "200"),
                            greaterThanOrEqualTo(1.0)));
        }
    }
}
