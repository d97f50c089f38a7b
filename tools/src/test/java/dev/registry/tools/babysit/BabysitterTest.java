package dev.registry.tools.babysit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.registry.server.testing.ChildJvm;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import dev.registry.tools.RegistryTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** The babysitter with a real model-server child, a real registry, and real processes. */
class BabysitterTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private int port;
    private Http sitter;
    private Process babysitter;

    @AfterEach
    void stopEverything() throws Exception {
        // the model server the babysitter runs, taken before a forced stop of the babysitter
        // orphans it (matching on its command line failed: the kernel's copy of a long class
        // path is cut short, and such servers outlived the tests)
        List<ProcessHandle> children = babysitter == null ? List.of() : babysitter.descendants().toList();
        if (babysitter != null && babysitter.isAlive()) {
            babysitter.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            child.destroyForcibly();
            child.onExit().get(10, TimeUnit.SECONDS);
        }
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
        assertThat(sitterRecord.get("metadata").get("type").asText(), is("vllm"));
        assertThat(sitterRecord.get("metadata").get("babysitter").asBoolean(), is(true));
        assertThat(sitterRecord.get("metadata").get("zone").asText(), is("eu-1"));
        JsonNode server = http.get("/services/model-a-server").json();
        assertThat(server.get("port").asInt(), is(port));
        assertThat(server.get("metadata").get("type").asText(), is("openai-api"));
        assertThat(server.get("metadata").get("parent_service").asText(), is("model-a"));
        assertThat(server.get("metadata").get("models").toString(), is("[\"tiny-model\"]"));
        assertThat(server.get("metadata").get("models_list").get(0).get("owned_by").asText(), is("test"));
        await().atMost(WAIT).until(() -> heartbeatsOf(http, "model-a-server") >= 2 && heartbeatsOf(http, "model-a") >= 2);
        assertThat(sitter.get("/health").status(), is(200));
        assertThat(sitter.get("/info").json().get("models").get(0).asText(), is("tiny-model"));

        // kill the child: 503, restart, models fetched again, healthy again
        long firstPid = sitter.get("/info").json().get("pid").asLong();
        ProcessHandle.of(firstPid).orElseThrow().destroyForcibly();
        await().atMost(WAIT).until(() -> sitter.get("/health").status() == 503);
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
        await().atMost(WAIT).until(() -> fresh.http().get("/services/model-a").status() == 200
                && fresh.http().get("/services/model-a-server").status() == 200);
        assertThat(fresh.http().get("/services/model-a-server").json().get("metadata").get("models").get(0).asText(),
                is("tiny-model"));

        // SIGTERM: child stopped, both records gone, a clean exit
        babysitter.destroy();
        assertThat(babysitter.waitFor(60, TimeUnit.SECONDS), is(true));
        assertThat(babysitter.exitValue(), is(0));
        assertThat(ProcessHandle.of(secondPid).map(ProcessHandle::isAlive).orElse(false), is(false));
        assertThat(fresh.http().get("/services/model-a").status(), is(404));
        assertThat(fresh.http().get("/services/model-a-server").status(), is(404));
        assertThat(Files.readString(tmp.resolve("babysitter.log")), containsString("[model-a] fake model server on " + port));
    }

    @Test
    void keepsRunningWhileTheRegistryIsDownAndRecovers() throws Exception {
        Path data = tmp.resolve("data");
        ChildRegistry registry = startRegistry(data, ChildRegistry.freePort());
        int registryPort = registry.port();
        startBabysitter(registryPort);
        await().atMost(WAIT).until(() -> registry.http().get("/services/model-a-server").status() == 200);

        registry.kill9();
        await().atMost(WAIT).until(() -> Files.readString(tmp.resolve("babysitter.log")).contains("registry unreachable"));
        assertThat(babysitter.isAlive(), is(true));
        assertThat(sitter.get("/health").status(), is(200));

        ChildRegistry back = startRegistry(data, registryPort);
        double before = back.http().get("/services/model-a-server").json().get("last_heartbeat").asDouble();
        await().atMost(WAIT).until(() -> back.http().get("/services/model-a-server").json()
                .get("last_heartbeat").asDouble() > before);
        assertThat(back.http().get("/services/model-a").json().get("is_healthy").asBoolean(), is(true));
        assertThat(Files.readString(tmp.resolve("babysitter.log")), containsString("registry reachable again"));
    }

    private ChildRegistry startRegistry(Path dataDir, int registryPort) {
        ChildRegistry registry = ChildRegistry.start(dataDir, registryPort, "--checks", "off");
        cleanup.add(registry);
        return registry;
    }

    private void startBabysitter(int registryPort) throws IOException {
        port = freePortPair();
        List<String> child = ChildJvm.command(FakeModelServer.class.getName(), List.of(Integer.toString(port)));
        List<String> args = new ArrayList<>(List.of("babysit", "--name", "model-a", "--port", Integer.toString(port),
                "--host", "127.0.0.1", "--registry", "http://127.0.0.1:" + registryPort,
                "--heartbeat-interval", "300ms", "--metadata", "zone=eu-1", "--stop-grace", "5s", "--"));
        args.addAll(child);
        babysitter = new ProcessBuilder(ChildJvm.command(RegistryTools.class.getName(), args))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("babysitter.log").toFile()))
                .start();
        sitter = new Http(port + 1);
        await().atMost(WAIT).ignoreExceptions().until(() -> sitter.get("/health").status() == 200);
    }

    private static int heartbeatsOf(Http http, String name) {
        JsonNode h = http.get("/services/" + name + "/history?heartbeats=true&limit=10000").json();
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

    /** A free port whose successor is free too (the babysitter takes port + 1). */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = ChildRegistry.freePort();
            try (ServerSocket next = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port pair");
    }
}
