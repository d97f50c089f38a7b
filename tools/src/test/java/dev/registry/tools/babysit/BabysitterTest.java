package dev.registry.tools.babysit;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.TestRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The babysitter with a real model-server child, a real registry, and real processes. */
class BabysitterTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final BabysitProcesses processes = new BabysitProcesses();
    private int port;
    private Http sitter;
    private Process babysitter;

    @AfterEach
    void stopEverything() throws Exception {
        processes.close();
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    @Test
    void registersHeartbeatsRestartsReRegistersAndDeregistersOnSigterm() throws Exception {
        ChildRegistry registry = startRegistry(tmp.resolve("data"), ChildRegistry.freePort());
        startBabysitter(registry.port());
        Http http = registry.http();

        // both records, right ports and metadata
        await().atMost(WAIT).until(() -> http.get("/services/model-a-server").status() == 200);
        JsonNode sitterRecord = http.get("/services/model-a").json();
        assertThat(sitterRecord.get("port").asInt(), is(port + 1));
        assertThat(sitterRecord.get("url").asText(), is("http://127.0.0.1:" + (port + 1)));
        assertThat(sitterRecord.get("metadata").get("type").asText(), is("command"));
        assertThat(sitterRecord.get("metadata").get("babysitter").asBoolean(), is(true));
        assertThat(sitterRecord.get("metadata").get("zone").asText(), is("eu-1"));
        JsonNode server = http.get("/services/model-a-server").json();
        assertThat(server.get("port").asInt(), is(port));
        assertThat(server.get("metadata").get("type").asText(), is("openai-api"));
        assertThat(server.get("metadata").get("parent_service").asText(), is("model-a"));
        assertThat(server.get("metadata").get("models").toString(), is("[\"tiny-model\"]"));
        assertThat(
                server.get("metadata").get("models_list").get(0).get("owned_by").asText(), is("mock"));
        await().atMost(WAIT)
                .until(() -> heartbeatsOf(http, "model-a-server") >= 2 && heartbeatsOf(http, "model-a") >= 2);
        assertThat(sitter.get("/health").status(), is(200));
        assertThat(sitter.get("/info").json().get("models").get(0).asText(), is("tiny-model"));

        // kill the child: 503, restart, models fetched again, healthy again
        long firstPid = sitter.get("/info").json().get("pid").asLong();
        ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();
        java.util.concurrent.atomic.AtomicReference<Http.Reply> down =
                new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(WAIT).until(() -> {
            down.set(sitter.get("/health"));
            return down.get().status() == 503;
        });
        assertThat(down.get().json().get("reason").asText(), containsString("not running"));
        await().atMost(WAIT).until(() -> sitter.get("/health").status() == 200);
        long secondPid = sitter.get("/info").json().get("pid").asLong();
        assertThat(secondPid, not(firstPid));
        assertThat(sitter.get("/info").json().get("restarts").asInt(), is(1));
        await().atMost(WAIT).until(() -> registrationsOf(http, "model-a-server") == 2);
        assertThat(http.get("/services/model-a-server").json().get("is_healthy").asBoolean(), is(true));

        // registry wiped and restarted empty on the same port: 404, both registered again
        registry.kill9();
        Path wiped = tmp.resolve("wiped");
        Files.createDirectories(wiped);
        ChildRegistry fresh = startRegistry(wiped, registry.port());
        await().atMost(WAIT)
                .until(() -> fresh.http().get("/services/model-a").status() == 200
                        && fresh.http().get("/services/model-a-server").status() == 200);
        assertThat(
                fresh.http()
                        .get("/services/model-a-server")
                        .json()
                        .get("metadata")
                        .get("models")
                        .get(0)
                        .asText(),
                is("tiny-model"));

        // SIGTERM: child stopped, both records gone, a clean exit
        babysitter.destroy();
        assertThat(babysitter.waitFor(60, TimeUnit.SECONDS), is(true));
        assertThat(babysitter.exitValue(), is(0));
        assertThat(ProcessHandle.of(secondPid).map(ProcessHandle::isAlive).orElse(false), is(false));
        assertThat(fresh.http().get("/services/model-a").status(), is(404));
        assertThat(fresh.http().get("/services/model-a-server").status(), is(404));
        assertThat(
                Files.readString(tmp.resolve("babysitter.log")),
                containsString("[model-a] mock model server on " + port));
    }

    @Test
    void keepsRunningWhileTheRegistryIsDownAndRecovers() throws Exception {
        Path data = tmp.resolve("data");
        ChildRegistry registry = startRegistry(data, ChildRegistry.freePort());
        int registryPort = registry.port();
        startBabysitter(registryPort);
        await().atMost(WAIT)
                .until(() -> registry.http().get("/services/model-a-server").status() == 200);

        registry.kill9();
        await().atMost(WAIT)
                .until(() -> Files.readString(tmp.resolve("babysitter.log")).contains("registry unreachable"));
        assertThat(babysitter.isAlive(), is(true));
        assertThat(sitter.get("/health").status(), is(200));

        ChildRegistry back = startRegistry(data, registryPort);
        double before = back.http()
                .get("/services/model-a-server")
                .json()
                .get("last_heartbeat")
                .asDouble();
        await().atMost(WAIT)
                .until(() -> back.http()
                                .get("/services/model-a-server")
                                .json()
                                .get("last_heartbeat")
                                .asDouble()
                        > before);
        assertThat(back.http().get("/services/model-a").json().get("is_healthy").asBoolean(), is(true));
        assertThat(Files.readString(tmp.resolve("babysitter.log")), containsString("registry reachable again"));
    }

    @Test
    void aServerThatIsNotOpenAiIsRegisteredOnceItsPortAnswersAndAnOpenAiOneIsPolledWithBackoff() throws Exception {
        TestRegistry registry = inProcessRegistry();
        Http http = registry.http();
        int plainPort = BabysitProcesses.freePortPair();
        processes.start(
                tmp.resolve("plain.log"),
                List.of(
                        "--name",
                        "plain",
                        "--port",
                        Integer.toString(plainPort),
                        "--host",
                        "127.0.0.1",
                        "--type",
                        "http",
                        "--registry",
                        http.base(),
                        "--heartbeat-interval",
                        "300ms",
                        "--",
                        "python3",
                        "-m",
                        "http.server",
                        Integer.toString(plainPort),
                        "--bind",
                        "127.0.0.1"));
        int openAiPort = BabysitProcesses.freePortPair();
        Path openAiLog = tmp.resolve("openai.log");
        processes.start(
                openAiLog,
                List.of(
                        "--name",
                        "notai",
                        "--port",
                        Integer.toString(openAiPort),
                        "--host",
                        "127.0.0.1",
                        "--registry",
                        http.base(),
                        "--heartbeat-interval",
                        "300ms",
                        "--",
                        "python3",
                        "-m",
                        "http.server",
                        Integer.toString(openAiPort),
                        "--bind",
                        "127.0.0.1"));

        // not an OpenAI server: registered as soon as it listens, with its type and no models
        await().atMost(WAIT).until(() -> http.get("/services/plain-server").status() == 200);
        JsonNode plain = http.get("/services/plain-server").json();
        assertThat(plain.get("metadata").get("type").asText(), is("http"));
        assertThat(plain.get("metadata").get("models").size(), is(0));
        assertThat(plain.get("is_healthy").asBoolean(), is(true));

        // --type openai-api (the default) on a server without /v1/models: polled at 1 s, 2 s, 4 s, saying what for
        await().atMost(WAIT).until(() -> Files.readString(openAiLog).contains("next try in 4.0 s"));
        String log = Files.readString(openAiLog);
        String waiting = "[notai] waiting for the model server to answer GET http://127.0.0.1:" + openAiPort
                + "/v1/models or /models (";
        String answered404 = waiting + "/v1/models answered 404, /models answered 404); next try in ";
        assertThat(log, containsString(answered404));
        // the first tries may find the child not listening yet (connection refused): the wait doubles
        // from 1 s whatever each try found
        List<String> nextTries = log.lines()
                .filter(line -> line.startsWith(waiting))
                .map(line -> line.substring(line.lastIndexOf("next try in ")))
                .limit(3)
                .toList();
        assertThat(nextTries, is(List.of("next try in 1.0 s", "next try in 2.0 s", "next try in 4.0 s")));
        // one request per try that reached the server, nothing in between
        assertThat(
                count(Files.readString(openAiLog), "\"GET /v1/models HTTP/1.1\" 404"),
                is(count(Files.readString(openAiLog), answered404)));
        assertThat(http.get("/services/notai-server").status(), is(404));

        // the health listener binds --host, not every interface (127.0.0.2 is loopback too, but another address)
        assertThat(new Http(openAiPort + 1).get("/health").status(), is(200));
        try (Socket other = new Socket()) {
            assertThrows(
                    ConnectException.class,
                    () -> other.connect(new InetSocketAddress("127.0.0.2", openAiPort + 1), 2000));
        }
    }

    @Test
    void aTomlConfigWithAMockBackendAndMetadataOverriddenOnTheCommandLine() throws Exception {
        TestRegistry registry = inProcessRegistry();
        Http http = registry.http();
        int p = BabysitProcesses.freePortPair();
        Path toml = tmp.resolve("sitter.toml");
        Files.writeString(toml, """
                name = "toml-a"
                host = "127.0.0.1"
                port = %d
                registry_url = "%s"
                owner = "someone"

                [babysitter]
                max_restarts = 4
                restart_delay = 0.2
                heartbeat_interval = 0.3

                [backend]
                type = "mock"
                models = ["m1", "m2"]

                [metadata]
                cache_type = "static"
                weight = 2
                """.formatted(p, http.base()));
        Path log = tmp.resolve("toml.log");
        processes.start(log, List.of("--config", toml.toString(), "--metadata", "weight=3", "--metadata", "zone=eu-1"));
        await().atMost(WAIT).until(() -> http.get("/services/toml-a-server").status() == 200);
        JsonNode meta = http.get("/services/toml-a-server").json().get("metadata");
        assertThat(meta.get("type").asText(), is("openai-api"));
        assertThat(meta.get("cache_type").asText(), is("static"));
        assertThat(meta.get("weight").isInt() && meta.get("weight").asInt() == 3, is(true));
        assertThat(meta.get("zone").asText(), is("eu-1"));
        assertThat(meta.get("models").toString(), is("[\"m1\",\"m2\"]"));
        assertThat(
                http.get("/services/toml-a").json().get("metadata").get("type").asText(), is("mock"));
        assertThat(Files.readString(log), containsString("ignoring owner"));

        Http health = new Http(p + 1);
        assertThat(health.get("/models").json().get("data").get(1).get("id").asText(), is("m2"));
        assertThat(health.get("/info").json().get("registry").asText(), is(http.base()));

        // the child dies: its record is marked stopped at once, then registered again after the restart
        ProcessHandle.of(health.get("/info").json().get("pid").asLong())
                .orElseThrow()
                .destroyForcibly();
        await().atMost(WAIT).until(() -> Files.readString(log).contains("toml-a-server marked stopped"));
        await().atMost(WAIT).until(() -> registrationsOf(http, "toml-a-server") == 2);
        assertThat(http.get("/services/toml-a-server").json().get("is_healthy").asBoolean(), is(true));
        boolean sawStopped = false;
        for (JsonNode e : http.get("/services/toml-a-server/history?heartbeats=true")
                .json()
                .get("history")) {
            sawStopped |= "stopped".equals(e.path("status").asText());
        }
        assertThat(sawStopped, is(true));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private TestRegistry inProcessRegistry() {
        TestRegistry registry = new TestRegistry(tmp.resolve("data"));
        cleanup.add(registry);
        return registry;
    }

    private ChildRegistry startRegistry(Path dataDir, int registryPort) {
        ChildRegistry registry = ChildRegistry.start(dataDir, registryPort, "--checks", "off");
        cleanup.add(registry);
        return registry;
    }

    private void startBabysitter(int registryPort) throws IOException {
        port = BabysitProcesses.freePortPair();
        List<String> args = new ArrayList<>(List.of(
                "--name",
                "model-a",
                "--port",
                Integer.toString(port),
                "--host",
                "127.0.0.1",
                "--registry",
                "http://127.0.0.1:" + registryPort,
                "--heartbeat-interval",
                "300ms",
                "--metadata",
                "zone=eu-1",
                "--stop-grace",
                "5s",
                "--"));
        args.addAll(BabysitProcesses.mockServer(port, "tiny-model"));
        babysitter = processes.start(tmp.resolve("babysitter.log"), args);
        sitter = new Http(port + 1);
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> sitter.get("/health").status() == 200);
    }

    private static int heartbeatsOf(Http http, String name) {
        JsonNode h = http.get("/services/" + name + "/history?heartbeats=true&limit=10000")
                .json();
        int n = 0;
        for (JsonNode e : h.get("history")) {
            if (e.get("type").asText().equals("heartbeat")) {
                n++;
            }
        }
        return n;
    }

    private static int registrationsOf(Http http, String name) {
        int n = 0;
        for (JsonNode e : http.get("/services/" + name + "/history").json().get("history")) {
            if (e.get("type").asText().equals("registered")) {
                n++;
            }
        }
        return n;
    }
}
