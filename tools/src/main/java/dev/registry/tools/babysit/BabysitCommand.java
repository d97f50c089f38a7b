package dev.registry.tools.babysit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.client.RegistryClient;
import dev.registry.cli.DurationConverter;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code babysit}: runs a model server, restarts it when it dies, serves its health on port + 1,
 * and keeps it and itself registered. Settings come from the command line, over a TOML file
 * ({@code --config}, the fleet's format), over the defaults. Exit codes: 0 stopped by
 * SIGTERM/SIGINT (child stopped, records removed), 3 gave up after too many restarts, 2 bad
 * arguments or a health port that cannot be listened on.
 */
@Command(
        name = "babysit",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Supervise a model server: start it, restart it when it exits, serve GET /health, /models and /info "
                    + "on PORT+1, and keep records NAME (the babysitter) and NAME-server (the model server) registered.",
            "Usage: babysit --name N --port P [options] -- COMMAND ARGS...   or   babysit --config FILE [options]"
        })
public final class BabysitCommand implements Callable<Integer> {

    /** Exit code after giving up on a child that keeps dying. */
    public static final int EXIT_GAVE_UP = 3;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper STRICT_JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "A TOML file in the fleet's format; options given here override it.")
    Path config;

    @Option(names = "--name", description = "Record name of the babysitter; the server is NAME-server.")
    String name;

    @Option(names = "--port", description = "The model server's port; the babysitter listens on PORT+1.")
    Integer port;

    @Option(names = "--host", description = "Host the registry should send traffic to (default: this machine's name).")
    String host;

    @Option(names = "--health-host", description = "Address the PORT+1 listener binds (default: --host).")
    String healthHost;

    @Option(
            names = "--type",
            defaultValue = Registrar.OPENAI_API,
            description =
                    "What the model server speaks; ${DEFAULT-VALUE} servers get their models polled and are routed to, "
                            + "others are registered once their port answers (default ${DEFAULT-VALUE}).")
    String type;

    @Option(
            names = "--registry",
            paramLabel = "URL[,URL...]",
            description = "The registry's URL, or several comma-separated to fail over between (else registry_url "
                    + "of --config, env REGISTRY_URL, http://127.0.0.1:8901).")
    String registry;

    @Option(
            names = "--token",
            defaultValue = "${env:REGISTRY_TOKEN}",
            description = "Bearer token for a registry started with --token (env REGISTRY_TOKEN).")
    String token;

    @Option(
            names = "--heartbeat-interval",
            converter = DurationConverter.class,
            description = "Time between heartbeats (default 30s).")
    Duration heartbeatInterval;

    @Option(
            names = "--metadata",
            paramLabel = "KEY=VALUE",
            description = "Metadata for both records, over [metadata] of --config; repeatable. A value that is JSON "
                    + "(2, true, [\"a\"]) is taken as such, anything else as text.")
    Map<String, String> metadata = new LinkedHashMap<>();

    @Option(
            names = "--max-restarts",
            description = "Give up after more restarts than this within --restart-window (default 5).")
    Integer maxRestarts;

    @Option(
            names = "--restart-window",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Window for --max-restarts (default ${DEFAULT-VALUE}).")
    Duration restartWindow;

    @Option(
            names = "--restart-delay",
            converter = DurationConverter.class,
            description = "Wait before the first restart; doubles with each quick one, up to 30 s (default 500ms).")
    Duration restartDelay;

    @Option(
            names = "--stop-grace",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "On stop, wait this long after SIGTERM before SIGKILL (default ${DEFAULT-VALUE}).")
    Duration stopGrace;

    @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "The model server's command line, after --.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        BabysitConfigFile file;
        try {
            file = config == null ? null : BabysitConfigFile.read(config);
        } catch (IllegalArgumentException ex) {
            System.err.println("babysit: " + ex.getMessage());
            return 2;
        }
        String hostname = InetAddress.getLocalHost().getHostName();
        String sitterName = first(name, file == null ? null : file.name());
        Integer serverPort = first(port, file == null ? null : file.port());
        if (sitterName == null || serverPort == null) {
            System.err.println("babysit: give --name and --port (or name and port in --config)");
            return 2;
        }
        String advertised = first(host, file == null ? null : file.host(), hostname);
        String registryUrl = first(
                registry,
                file == null ? null : file.registryUrl(),
                System.getenv("REGISTRY_URL"),
                "http://127.0.0.1:8901");
        Supervisor.Child child;
        String backendKind;
        if (!command.isEmpty()) {
            child = new Supervisor.Child(command, null, Map.of());
            backendKind = "command";
        } else if (file != null && file.backend() != null) {
            BabysitConfigFile.Backend b = file.backend();
            backendKind = b.type();
            child = new Supervisor.Child(
                    "mock".equals(b.type()) ? MockModelServer.command(advertised, serverPort, b.models()) : b.command(),
                    b.workDir(),
                    b.env());
        } else {
            System.err.println("babysit: give the model server's command after --, or a [backend] in --config");
            return 2;
        }
        if (file != null && !file.unknownKeys().isEmpty()) {
            out.println(
                    "[" + sitterName + "] --config " + config + ": ignoring " + String.join(", ", file.unknownKeys()));
        }
        Map<String, Object> extra = new LinkedHashMap<>(file == null ? Map.of() : file.metadata());
        metadata.forEach((k, v) -> extra.put(k, metadataValue(v)));

        Registrar[] registrar = new Registrar[1];
        Supervisor supervisor = new Supervisor(
                child,
                "[" + sitterName + "] ",
                out,
                first(maxRestarts, file == null ? null : file.maxRestarts(), 5),
                restartWindow,
                first(restartDelay, file == null ? null : file.restartDelay(), Duration.ofMillis(500)),
                stopGrace,
                new Supervisor.Events() {
                    @Override
                    public void started() {
                        if (registrar[0] != null) {
                            registrar[0].childStarted();
                        }
                    }

                    @Override
                    public void exited() {
                        if (registrar[0] != null) {
                            registrar[0].childExited();
                        }
                    }
                });
        String bind = first(healthHost, advertised);
        HealthServer[] health = new HealthServer[1];
        try {
            health[0] = new HealthServer(
                    bind,
                    serverPort + 1,
                    sitterName,
                    advertised,
                    serverPort,
                    supervisor,
                    () -> {
                        ObjectNode info = JSON.createObjectNode();
                        info.put("name", sitterName);
                        info.put("server", sitterName + "-server");
                        info.put("pid", supervisor.childPid());
                        info.put("restarts", supervisor.restarts());
                        info.put("uptime", health[0].uptimeSeconds());
                        info.set("models", JSON.valueToTree(registrar[0].models()));
                        info.put("registry", registryUrl);
                        return info;
                    },
                    () -> registrar[0].modelsList());
        } catch (IOException ex) {
            System.err.println("babysit: cannot listen on " + bind + ":" + (serverPort + 1) + " for /health: "
                    + ex.getMessage() + " (--health-host sets the address)");
            return 2;
        }
        Duration interval =
                first(heartbeatInterval, file == null ? null : file.heartbeatInterval(), Duration.ofSeconds(30));
        registrar[0] = new Registrar(
                RegistryClient.builder(registryUrl)
                        .requestTimeout(Duration.ofSeconds(10))
                        .token(token)
                        .build(),
                new Registrar.Identity(sitterName, advertised, hostname, serverPort, backendKind, type, extra),
                interval,
                health[0],
                supervisor,
                out);
        registrar[0].start();

        CountDownLatch cleanedUp = new CountDownLatch(1);
        Thread onSignal = new Thread(() -> stopOnSignal(out, sitterName, supervisor, cleanedUp), "babysit-stop");
        Runtime.getRuntime().addShutdownHook(onSignal);
        Supervisor.Outcome outcome = supervisor.run();
        supervisor.stop();
        registrar[0].stopAndDeregister();
        health[0].close();
        out.flush();
        cleanedUp.countDown();
        return outcome == Supervisor.Outcome.GAVE_UP ? EXIT_GAVE_UP : 0;
    }

    /**
     * SIGTERM or SIGINT (the JVM runs its shutdown hooks): stop the child, let the main thread deregister,
     * then exit 0 as the fleet's babysitter does, not with the signal's 143.
     */
    private void stopOnSignal(PrintStream out, String sitterName, Supervisor supervisor, CountDownLatch cleanedUp) {
        if (cleanedUp.getCount() == 0) {
            return; // the babysitter is exiting on its own
        }
        out.println("[" + sitterName + "] signal: stopping");
        out.flush();
        supervisor.stop();
        try {
            if (cleanedUp.await(stopGrace.toMillis() + 15_000, TimeUnit.MILLISECONDS)) {
                Runtime.getRuntime().halt(0);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code --metadata} values: JSON where they are JSON (numbers, booleans, arrays, quoted text), else text. */
    static Object metadataValue(String value) {
        try {
            Object parsed = STRICT_JSON.readValue(value, Object.class);
            return parsed == null ? value : parsed;
        } catch (IOException notJson) {
            return value;
        }
    }

    @SafeVarargs
    private static <T> T first(T... candidates) {
        for (T c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }
}
