package dev.registry.tools.route;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.registry.router.RouterServer;
import dev.registry.router.RouterSettings;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import dev.registry.tools.babysit.BabysitProcesses;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system from this repository, as the fleet runs it: a registry, three babysitters each
 * supervising a mock model server in a process of its own (one configured from a TOML file with a
 * cache_type), and the router in front.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final BabysitProcesses processes = new BabysitProcesses();
    private TestRegistry registry;
    private RouterServer router;
    private Http client;
    private int portA;

    @BeforeAll
    void startTheFleet(@TempDir Path tmp) throws Exception {
        registry = new TestRegistry(tmp.resolve("data"));
        String url = registry.http().base();
        portA = BabysitProcesses.freePortPair();
        List<String> a = new ArrayList<>(List.of(
                "--name",
                "a",
                "--port",
                Integer.toString(portA),
                "--host",
                "127.0.0.1",
                "--registry",
                url,
                "--heartbeat-interval",
                "300ms",
                "--restart-delay",
                "200ms",
                "--"));
        a.addAll(BabysitProcesses.mockServerPaced(portA, "200ms", "alpha", "beta"));
        processes.start(tmp.resolve("a.log"), a);
        int portB = BabysitProcesses.freePortPair();
        List<String> b = new ArrayList<>(List.of(
                "--name",
                "b",
                "--port",
                Integer.toString(portB),
                "--host",
                "127.0.0.1",
                "--registry",
                url,
                "--heartbeat-interval",
                "300ms",
                "--"));
        b.addAll(BabysitProcesses.mockServer(portB, "beta", "gamma"));
        processes.start(tmp.resolve("b.log"), b);
        int portC = BabysitProcesses.freePortPair();
        Path toml = tmp.resolve("c.toml");
        Files.writeString(toml, """
                name = "c"
                host = "127.0.0.1"
                port = %d
                registry_url = "%s"

                [babysitter]
                heartbeat_interval = 0.3

                [backend]
                type = "mock"
                models = ["delta", "epsilon"]

                [metadata]
                cache_type = "static"
                """.formatted(portC, url));
        processes.start(tmp.resolve("c.log"), List.of("--config", toml.toString()));

        router = RouterServer.start(RouterSettings.defaults(List.of(url)).withAddress("127.0.0.1", 0));
        client = new Http(router.port());
        await().atMost(WAIT)
                .until(() -> client.get("/health")
                        .json()
                        .get("healthy_services")
                        .asText()
                        .equals("3/3"));
    }

    @AfterAll
    void stopTheFleet() throws Exception {
        processes.close();
        if (router != null) {
            router.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    @Order(1)
    void healthAndTheModelsOfEveryBackend() {
        JsonNode health = client.get("/health").json();
        assertThat(health.get("status").asText(), is("healthy"));
        assertThat(health.get("router").asText(), is("running"));
        assertThat(health.get("registry_url").asText(), is(registry.http().base()));
        assertThat(client.get("/status").json().get("status").asText(), is("running"));
        List<String> ids = new ArrayList<>();
        for (JsonNode m : client.get("/v1/models").json().get("data")) {
            ids.add(m.get("id").asText());
        }
        assertThat(ids, is(List.of("alpha", "beta", "delta", "epsilon", "gamma")));
        assertThat(
                client.get("/models").json().get("data").get(0).get("owned_by").asText(), is("mock"));
    }

    @Test
    @Order(2)
    void eachModelGoesToABackendThatServesItAndASharedOneToBoth() {
        Map<String, Set<String>> servers = Map.of(
                "alpha",
                Set.of("a-server"),
                "gamma",
                Set.of("b-server"),
                "delta",
                Set.of("c-server"),
                "epsilon",
                Set.of("c-server"),
                "beta",
                Set.of("a-server", "b-server"));
        for (var e : servers.entrySet()) {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                Http.Reply r = client.post(
                        "/v1/chat/completions",
                        "{\"model\":\"" + e.getKey() + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
                assertThat(r.body(), r.status(), is(200));
                assertThat(r.json().get("model").asText(), is(e.getKey()));
                seen.add(r.headers().firstValue("X-Served-By").orElseThrow());
            }
            assertThat(e.getKey(), seen, is(e.getValue()));
        }
        Http.Reply unknown = client.post("/v1/chat/completions", "{\"model\":\"zeta\"}");
        assertThat(unknown.status(), is(503));
        assertThat(unknown.json().get("error").asText(), is("No healthy services available for model 'zeta'"));
    }

    @Test
    @Order(3)
    void aStreamArrivesInChunksTheFirstBeforeTheBackendFinishes() throws Exception {
        HttpResponse<java.io.InputStream> reply = CLIENT.send(
                HttpRequest.newBuilder(URI.create(client.base() + "/v1/chat/completions"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"alpha\",\"stream\":true}"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(reply.headers().firstValue("content-type").orElseThrow(), is("text/event-stream"));
        List<Long> receivedAt = new ArrayList<>();
        List<JsonNode> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(reply.body(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("data: {")) {
                    receivedAt.add(System.currentTimeMillis());
                    events.add(JSON.readTree(line.substring(6)));
                }
            }
        }
        assertThat(events.size(), is(6));
        // the mock writes an event every 200 ms: the first was here before the last was even written
        assertThat(
                receivedAt.getFirst(),
                lessThan(events.getLast().get("sent_at_ms").asLong()));
    }

    @Test
    @Order(4)
    void servicesListTheBackendsWithTheirCounts() {
        JsonNode services = client.get("/services").json();
        assertThat(services.get("total").asInt(), is(3));
        List<String> names = new ArrayList<>();
        for (JsonNode s : services.get("services")) {
            names.add(s.get("name").asText());
            assertThat(s.get("healthy").asBoolean(), is(true));
            assertThat(s.get("requests").asInt(), greaterThan(0));
            assertThat(s.get("errors").asInt(), is(0));
            assertThat(
                    s.get("latency_p99_ms").asDouble(),
                    greaterThanOrEqualTo(s.get("latency_p50_ms").asDouble()));
        }
        assertThat(names, hasItems("a-server", "b-server", "c-server"));
        assertThat(services.get("services").get(2).get("cache_type").asText(), is("static"));
        assertThat(client.get("/stats").json().get("requests").asLong(), greaterThanOrEqualTo(101L));
    }

    @Test
    @Order(5)
    void aBackendKilledWithKill9IsDroppedWithinASecondWithoutAFailedRequestAndComesBack() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        Set<String> servedBy = ConcurrentHashMap.newKeySet();
        List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread load = Thread.ofVirtual().start(() -> {
            Http http = new Http(router.port());
            while (running.get()) {
                Http.Reply r = http.post("/v1/chat/completions", "{\"model\":\"beta\"}");
                if (r.status() == 200) {
                    served.incrementAndGet();
                    servedBy.add(r.headers().firstValue("X-Served-By").orElseThrow());
                } else {
                    failures.incrementAndGet();
                    failed.add(r.status() + " " + r.body());
                }
            }
        });
        try {
            await().atMost(WAIT).until(() -> servedBy.containsAll(Set.of("a-server", "b-server")));
            long pid = new Http(portA + 1).get("/info").json().get("pid").asLong();
            ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
            child.destroyForcibly(); // SIGKILL
            child.onExit().join();
            await().atMost(Duration.ofSeconds(1)).until(() -> !healthy(client, "a-server"));
            servedBy.clear();
            int before = served.get();
            await().atMost(WAIT).until(() -> served.get() > before + 20);
            assertThat(servedBy, is(Set.of("b-server")));

            // the babysitter restarts it: back in the set, and served again
            await().atMost(WAIT).until(() -> healthy(client, "a-server") && servedBy.contains("a-server"));
        } finally {
            running.set(false);
            load.join();
        }
        assertThat(String.valueOf(failed), failures.get(), is(0));
    }

    private static boolean healthy(Http client, String name) {
        for (JsonNode s : client.get("/services").json().get("services")) {
            if (s.get("name").asText().equals(name)) {
                return s.get("healthy").asBoolean();
            }
        }
        return false;
    }
}
