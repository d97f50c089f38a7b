package dev.registry.tools.babysit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.client.RegistryClient;
import dev.registry.cli.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code babysit}: runs a model server, restarts it when it dies, serves its health on port + 1,
 * and keeps it and itself registered. Exit codes: 0 stopped by SIGTERM/SIGINT (child stopped,
 * records removed), 3 gave up after too many restarts, 2 bad arguments.
 */
@Command(name = "babysit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Supervise a model server: start it, restart it when it exits, serve GET /health and /info "
                + "on PORT+1, and keep records NAME (the babysitter) and NAME-server (the model server) registered.",
                "Usage: babysit --name N --port P [options] -- COMMAND ARGS..."})
public final class BabysitCommand implements Callable<Integer> {

    /** Exit code after giving up on a child that keeps dying. */
    public static final int EXIT_GAVE_UP = 3;

    @Option(names = "--name", required = true, description = "Record name of the babysitter; the server is NAME-server.")
    String name;

    @Option(names = "--port", required = true, description = "The model server's port; the babysitter listens on PORT+1.")
    int port;

    @Option(names = "--host", description = "Host the registry should send traffic to (default: this machine's name).")
    String host;

    @Option(names = "--type", defaultValue = "vllm", description = "Backend type for NAME's metadata (default ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--registry", defaultValue = "${env:REGISTRY_URL:-http://127.0.0.1:8901}",
            description = "The registry's URL (env REGISTRY_URL; default ${DEFAULT-VALUE}).")
    String registry;

    @Option(names = "--token", defaultValue = "${env:REGISTRY_TOKEN}",
            description = "Bearer token for a registry started with --token (env REGISTRY_TOKEN).")
    String token;

    @Option(names = "--heartbeat-interval", defaultValue = "30s", converter = DurationConverter.class,
            description = "Time between heartbeats (default ${DEFAULT-VALUE}).")
    Duration heartbeatInterval;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Extra metadata for both records; repeatable.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(names = "--max-restarts", defaultValue = "5", description = "Give up after more restarts than this within --restart-window (default ${DEFAULT-VALUE}).")
    int maxRestarts;

    @Option(names = "--restart-window", defaultValue = "60s", converter = DurationConverter.class,
            description = "Window for --max-restarts (default ${DEFAULT-VALUE}).")
    Duration restartWindow;

    @Option(names = "--stop-grace", defaultValue = "10s", converter = DurationConverter.class,
            description = "On stop, wait this long after SIGTERM before SIGKILL (default ${DEFAULT-VALUE}).")
    Duration stopGrace;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The model server's command line, after --.")
    List<String> command;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        String hostname = InetAddress.getLocalHost().getHostName();
        String advertised = host != null ? host : hostname;
        Registrar[] registrar = new Registrar[1];
        Supervisor supervisor = new Supervisor(command, "[" + name + "] ", out, maxRestarts, restartWindow, stopGrace,
                () -> {
                    if (registrar[0] != null) {
                        registrar[0].childStarted();
                    }
                });
        ObjectMapper json = new ObjectMapper();
        HealthServer[] health = new HealthServer[1];
        health[0] = new HealthServer("0.0.0.0", port + 1, name, port, supervisor, () -> {
            ObjectNode info = json.createObjectNode();
            info.put("name", name);
            info.put("server", name + "-server");
            info.put("pid", supervisor.childPid());
            info.put("restarts", supervisor.restarts());
            info.put("uptime", health[0].uptimeSeconds());
            info.set("models", json.valueToTree(registrar[0].models()));
            info.put("registry", registry);
            return info;
        });
        registrar[0] = new Registrar(RegistryClient.builder(registry).requestTimeout(Duration.ofSeconds(10)).token(token).build(),
                name, advertised, hostname, port, type, new LinkedHashMap<>(metadata), heartbeatInterval, health[0], out);
        registrar[0].start();

        CountDownLatch signalled = new CountDownLatch(1);
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), s -> {
                out.println("[" + name + "] SIG" + s.getName() + ": stopping");
                signalled.countDown();
                supervisor.stop();
            });
        }
        Supervisor.Outcome outcome = supervisor.run();
        supervisor.stop();
        registrar[0].stopAndDeregister();
        health[0].close();
        out.flush();
        return outcome == Supervisor.Outcome.GAVE_UP ? EXIT_GAVE_UP : 0;
    }
}
