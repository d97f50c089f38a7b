package dev.registry.router.proxy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.registry.router.RouterServer;
import dev.registry.router.testing.RouterFixture;
import dev.registry.router.testing.RouterTestBase;
import dev.registry.router.testing.ScriptedBackend;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.PrometheusText;
import org.junit.jupiter.api.Test;

/** The router's own metrics at /observe/metrics and /metrics: per backend requests, errors, in flight, latency. */
class RouterMetricsTest extends RouterTestBase {

    @Test
    void routedTrafficMovesThePerBackendSeries() {
        ScriptedBackend live = backend((request, reply) -> reply.json(200, "{\"ok\":true}"));
        RouterServer router = router(
                "[" + RouterFixture.entry("metrics-dead", RouterFixture.closedPort(), "{}") + ","
                        + RouterFixture.entry("metrics-live", live.port(), "{}") + "]",
                java.util.List.of(RouterFixture.nowhere()),
                s -> s);
        Http http = new Http(router.port());
        PrometheusText before = scrape(http, "/observe/metrics");

        for (int i = 0; i < 5; i++) {
            assertThat(http.post("/v1/chat/completions", "{}").status(), is(200));
        }
        PrometheusText after = scrape(http, "/metrics"); // the alias Prometheus scrapes by default

        assertThat(delta(before, after, "router_backend_requests_total", "backend", "metrics-live"), is(5.0));
        assertThat(delta(before, after, "router_backend_latency_seconds_count", "backend", "metrics-live"), is(5.0));
        assertThat(delta(before, after, "router_backend_errors_total", "backend", "metrics-dead"), is(1.0));
        assertThat(after.value("router_backend_in_flight", "backend", "metrics-live"), is(0.0));
        assertThat(delta(before, after, "router_requests_total"), is(5.0));
        assertThat(delta(before, after, "router_retries_total"), is(1.0));
        assertThat(after.names(), hasItems("memory_usedHeap_bytes", "thread_count"));
    }

    private static PrometheusText scrape(Http http, String path) {
        Http.Reply reply = http.get(path);
        assertThat(reply.body(), reply.status(), is(200));
        assertThat(reply.contentType(), startsWith("text/plain"));
        return PrometheusText.parse(reply.body());
    }

    private static double delta(PrometheusText before, PrometheusText after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
