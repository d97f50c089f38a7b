package dev.registry.tools.route;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.registry.router.testing.RouterFixture;
import dev.registry.router.testing.ScriptedBackend;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.server.testing.Http;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar tools/target/registry-tools.jar route} as an operator runs it: no flags, options from the environment. */
class RouteJarIT {

    private static final Path JAR = Path.of("target", "registry-tools.jar");

    @TempDir
    Path tmp;

    @Test
    void routesWithPlainJavaJarAndOptionsFromTheEnvironment() throws Exception {
        try (ScriptedBackend backend = new ScriptedBackend((request, reply) -> reply.json(200, "{\"ok\":true}"))) {
            Path file = tmp.resolve("static.json");
            Files.writeString(
                    file,
                    "{\"services\":[" + RouterFixture.entry("fixed-1", backend.port(), "{\"models\":[\"m\"]}") + "]}");
            int port = ChildRegistry.freePort();
            Process router = start(
                    List.of("route", "--static-services", file.toString()),
                    Map.of(
                            "ROUTER_PORT",
                            Integer.toString(port),
                            "ROUTER_HOST",
                            "127.0.0.1",
                            "ROUTER_REGISTRY_URL",
                            RouterFixture.nowhere()));
            try {
                Http http = new Http(port);
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                    assertThat("router exited", router.isAlive(), is(true));
                    return http.get("/health").status() == 200;
                });
                Http.Reply reply = http.post("/v1/chat/completions", "{\"model\":\"m\"}");
                assertThat(reply.status(), is(200));
                assertThat(reply.headers().firstValue("X-Served-By").orElseThrow(), is("fixed-1"));

                // the port is taken now: a second router says so in one line and exits 1
                Process second = start(
                        List.of(
                                "route",
                                "--port",
                                Integer.toString(port),
                                "--host",
                                "127.0.0.1",
                                "--registry",
                                RouterFixture.nowhere()),
                        Map.of());
                assertThat(second.waitFor(60, TimeUnit.SECONDS), is(true));
                assertThat(second.exitValue(), is(1));
                assertThat(
                        Files.readString(tmp.resolve("tool.log")),
                        containsString("route: port " + port + " on 127.0.0.1 is already in use"));
            } finally {
                router.destroy();
                assertThat(router.waitFor(30, TimeUnit.SECONDS), is(true));
            }
            String log = Files.readString(tmp.resolve("tool.log"));
            assertThat(log, not(containsString("IllegalAccess")));
            assertThat(log, not(containsString("BindException")));
        }
    }

    @Test
    void helpNamesEveryEnvironmentVariable() throws Exception {
        Process help = start(List.of("route", "--help"), Map.of());
        assertThat(help.waitFor(60, TimeUnit.SECONDS), is(true));
        String text = Files.readString(tmp.resolve("tool.log"), StandardCharsets.UTF_8);
        for (String env : List.of(
                "ROUTER_PORT",
                "ROUTER_HOST",
                "ROUTER_REGISTRY_URL",
                "ROUTER_STATIC_SERVICES",
                "CACHE_TYPE_ROUTING_THRESHOLD",
                "ROUTER_MAX_BODY",
                "ROUTER_TIMEOUT",
                "ROUTER_CONNECT_TIMEOUT")) {
            assertThat(text, containsString(env));
        }
    }

    private Process start(List<String> args, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", JAR.toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(tmp.resolve("tool.log").toFile()));
        pb.environment().putAll(env);
        return pb.start();
    }
}
