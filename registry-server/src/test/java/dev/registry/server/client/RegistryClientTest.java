package dev.registry.server.client;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.registry.api.client.HistoryItem;
import dev.registry.api.client.ListQuery;
import dev.registry.api.client.Registration;
import dev.registry.api.client.RegistryClient;
import dev.registry.api.client.RegistryException;
import dev.registry.api.client.RegistryStats;
import dev.registry.api.client.RegistryUnavailableException;
import dev.registry.api.client.ServiceInfo;
import dev.registry.api.client.ServiceList;
import dev.registry.api.client.ServiceNotFoundException;
import dev.registry.api.client.ServiceUpdate;
import dev.registry.server.testing.FakeService;
import dev.registry.server.testing.RegistryTestBase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Java client against a real server: every call and every kind of error. */
class RegistryClientTest extends RegistryTestBase {

    private RegistryClient client() {
        return RegistryClient.create(http.base());
    }

    @Test
    void registerGetUpdateHeartbeatListStatsHistoryDeregister() {
        RegistryClient client = client();
        ServiceInfo registered = client.register(Registration.running(
                "model-a", "127.0.0.1", 8000, Map.of("type", "openai-api", "models", List.of("llama"), "weight", 2)));
        assertThat(registered.name(), is("model-a"));
        assertThat(registered.healthy(), is(true));
        assertThat(registered.record().url(), is("http://127.0.0.1:8000"));
        assertThat(registered.record().metadata().get("models").get(0).asText(), is("llama"));

        assertThat(client.get("model-a").orElseThrow().record(), is(registered.record()));
        assertThat(client.get("nobody").isPresent(), is(false));

        ServiceInfo updated = client.update("model-a", ServiceUpdate.status("draining"));
        assertThat(updated.record().status(), is("draining"));
        assertThat(updated.healthy(), is(false));
        assertThat(client.heartbeat("model-a", "running").isEmpty(), is(false));
        assertThat(client.heartbeat("model-a").isEmpty(), is(false));
        assertThat(client.get("model-a").orElseThrow().record().status(), is("running"));

        client.register(
                new Registration("stopped-b", "127.0.0.2", 9000, "h", "http://127.0.0.2:9000", "stopped", "t0", null));
        ServiceList all = client.list();
        assertThat(all.total(), is(2));
        assertThat(all.index(), greaterThan(0L));
        assertThat(
                client.list(ListQuery.healthyOnly()).services().stream()
                        .map(ServiceInfo::name)
                        .toList(),
                is(List.of("model-a")));
        assertThat(
                client.list(new ListQuery("stopped", null, null, null))
                        .services()
                        .getFirst()
                        .record()
                        .timestamp(),
                is("t0"));

        RegistryStats stats = client.stats();
        assertThat(stats.totalServices(), is(2));
        assertThat(stats.healthyServices(), is(1));
        assertThat(stats.statusDistribution(), is(Map.of("running", 1, "stopped", 1)));
        assertThat(stats.hostDistribution().get("127.0.0.2"), is(1));

        List<HistoryItem> history = client.history("model-a");
        assertThat(history.stream().map(HistoryItem::type).toList(), is(List.of("registered", "updated")));
        assertThat(history.get(1).heartbeatsBefore(), is(0L));
        assertThat(history.get(1).fields().get("changes").get("status").asText(), is("draining"));

        client.deregister("model-a");
        assertThat(client.get("model-a").isPresent(), is(false));
    }

    @Test
    void blockingListReturnsWhenTheViewMoves() throws Exception {
        RegistryClient client = client();
        client.register(Registration.running("a", "127.0.0.1", 1, Map.of()));
        long index = client.list().index();
        CompletableFuture<ServiceList> blocked = CompletableFuture.supplyAsync(
                () -> client.list(ListQuery.all().blockingAfter(index, Duration.ofSeconds(30))));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.server().changes().waiting() == 1);
        client.register(Registration.running("b", "127.0.0.1", 2, Map.of()));
        ServiceList after = blocked.get(10, TimeUnit.SECONDS);
        assertThat(after.total(), is(2));
        assertThat(after.index(), greaterThan(index));
    }

    @Test
    void notFoundIsItsOwnException() {
        RegistryClient client = client();
        ServiceNotFoundException beat = assertThrows(ServiceNotFoundException.class, () -> client.heartbeat("ghost"));
        assertThat(beat.status(), is(404));
        assertThat(beat.name(), is("ghost"));
        assertThat(beat.getMessage(), is("Service 'ghost' not found"));
        assertThrows(ServiceNotFoundException.class, () -> client.update("ghost", ServiceUpdate.status("x")));
        assertThrows(ServiceNotFoundException.class, () -> client.deregister("ghost"));
        assertThrows(ServiceNotFoundException.class, () -> client.history("ghost"));
    }

    @Test
    void badRequestsCarryTheStatusAndTheServersMessage() {
        RegistryException ex = assertThrows(
                RegistryException.class,
                () -> client().register(new Registration("bad", "h", 0, "h", "u", "running", null, null)));
        assertThat(ex.status(), is(400));
        assertThat(ex.getMessage(), containsString("'port'"));
        RegistryException empty = assertThrows(
                RegistryException.class,
                () -> client().register(new Registration("", "h", 1, "h", "u", "running", null, null)));
        assertThat(empty.getMessage(), containsString("must not be empty"));
    }

    @Test
    void serverErrorsAreRegistryExceptionsWithTheStatus() throws Exception {
        HttpServer failing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        failing.createContext("/", exchange -> {
            byte[] body = "{\"error\":\"Registry cannot write: disk full\"}".getBytes();
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        failing.start();
        try {
            RegistryClient client = RegistryClient.create(
                    "http://127.0.0.1:" + failing.getAddress().getPort());
            RegistryException ex = assertThrows(RegistryException.class, () -> client.heartbeat("x"));
            assertThat(ex.status(), is(503));
            assertThat(ex.getMessage(), containsString("disk full"));
        } finally {
            failing.stop(0);
        }
    }

    @Test
    void unreachableAndHangingRegistriesAreUnavailable() throws IOException {
        RegistryClient refused = RegistryClient.create("http://127.0.0.1:" + FakeService.refusedPort());
        RegistryUnavailableException ex = assertThrows(RegistryUnavailableException.class, refused::list);
        assertThat(ex.status(), is(-1));

        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            RegistryClient hanging = RegistryClient.builder("http://127.0.0.1:" + silent.getLocalPort())
                    .requestTimeout(Duration.ofMillis(300))
                    .build();
            assertThrows(RegistryUnavailableException.class, () -> hanging.heartbeat("x"));
        }
    }
}
