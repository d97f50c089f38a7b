package dev.registry.server;

import dev.registry.server.config.DurationConverter;
import dev.registry.server.config.RegistrySettings;
import dev.registry.server.config.SizeConverter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogManager;

/** Command line of the registry server. Every option can also come from an environment variable. */
@Command(name = "registry-server", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Event-sourced service registry: the fleet's HTTP API on a durable event log.",
        sortOptions = false)
public final class Main implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "${env:REGISTRY_PORT:-8901}",
            description = "Port to listen on (env REGISTRY_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "${env:REGISTRY_HOST:-0.0.0.0}",
            description = "Address to bind (env REGISTRY_HOST; default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data-dir", defaultValue = "${env:REGISTRY_DATA_DIR:-./data}",
            description = "Directory of the event log, created if missing (env REGISTRY_DATA_DIR; default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--heartbeat-ttl", defaultValue = "${env:REGISTRY_HEARTBEAT_TTL:-120s}",
            converter = DurationConverter.class,
            description = "A record is healthy while its last heartbeat is younger than this (env REGISTRY_HEARTBEAT_TTL; default ${DEFAULT-VALUE}).")
    Duration heartbeatTtl;

    @Option(names = "--max-body", defaultValue = "${env:REGISTRY_MAX_BODY:-1MiB}",
            converter = SizeConverter.class,
            description = "Largest request body; larger ones get 413 (env REGISTRY_MAX_BODY; default ${DEFAULT-VALUE}).")
    long maxBody;

    public static void main(String[] args) {
        configureLogging();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        RegistrySettings settings = new RegistrySettings(host, port, dataDir, heartbeatTtl, maxBody);
        RegistryServer server = RegistryServer.start(settings, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "registry-shutdown"));
        stopped.await();
        return 0;
    }

    /** Our logging defaults, unless the operator gave a logging configuration of their own. */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = Main.class.getResourceAsStream("logging.properties")) {
            LogManager.getLogManager().readConfiguration(in);
        } catch (IOException | RuntimeException ex) {
            System.err.println("registry-server: default logging configuration not loaded: " + ex);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"registry-server " + RegistryServer.version()};
        }
    }
}
