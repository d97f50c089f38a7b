package dev.registry.tools.route;

import dev.registry.cli.DurationConverter;
import dev.registry.router.RouterServer;
import dev.registry.router.RouterSettings;
import dev.registry.router.membership.Backend;
import dev.registry.router.membership.StaticServices;
import dev.registry.tools.SizeOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code route}: the fleet's model router, until SIGTERM/SIGINT. Exit codes: 1 cannot serve (port
 * taken), 2 bad arguments.
 */
@Command(
        name = "route",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Route OpenAI-compatible requests to healthy model servers of the registry, by model, "
                    + "prompt size (cache_type) and session key; learns of changes from the event stream.",
            "Every option can also come from the environment variable named in its description."
        })
public final class RouteCommand implements Callable<Integer> {

    /** Keeps Helidon's feature listing quiet (a logger's level lasts only while it is referenced). */
    private static final Logger HELIDON_FEATURES = Logger.getLogger("io.helidon.common.features");

    @Option(
            names = "--port",
            defaultValue = "${env:ROUTER_PORT:-8000}",
            description = "Port to listen on (env ROUTER_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--host",
            defaultValue = "${env:ROUTER_HOST:-0.0.0.0}",
            description = "Address to bind (env ROUTER_HOST; default ${DEFAULT-VALUE}).")
    String host;

    @Option(
            names = "--registry",
            paramLabel = "URL[,URL...]",
            defaultValue = "${env:ROUTER_REGISTRY_URL:-http://127.0.0.1:8901}",
            description =
                    "Registries to learn membership from, first reachable first (env ROUTER_REGISTRY_URL; default ${DEFAULT-VALUE}).")
    String registry;

    @Option(
            names = "--static-services",
            paramLabel = "FILE",
            defaultValue = "${env:ROUTER_STATIC_SERVICES}",
            description =
                    "Fixed backends: a JSON array, {\"services\":[...]} or {\"static_services\":{\"services\":[...]}} "
                            + "of {name, host, port, weight, metadata} (env ROUTER_STATIC_SERVICES).")
    Path staticServices;

    @Option(
            names = "--size-threshold",
            converter = SizeOption.class,
            defaultValue = "${env:CACHE_TYPE_ROUTING_THRESHOLD:-51200}",
            description = "Prompt bytes above which a request goes to cache_type static backends, else paged "
                    + "(env CACHE_TYPE_ROUTING_THRESHOLD; default ${DEFAULT-VALUE}).")
    long sizeThreshold;

    @Option(
            names = "--max-body",
            converter = SizeOption.class,
            defaultValue = "${env:ROUTER_MAX_BODY:-32MiB}",
            description = "Largest request body; larger gets 413 (env ROUTER_MAX_BODY; default ${DEFAULT-VALUE}).")
    long maxBody;

    @Option(
            names = "--timeout",
            converter = DurationConverter.class,
            defaultValue = "${env:ROUTER_TIMEOUT:-1800s}",
            description =
                    "Longest a backend may take for a whole reply; then 504 (env ROUTER_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--connect-timeout",
            converter = DurationConverter.class,
            defaultValue = "${env:ROUTER_CONNECT_TIMEOUT:-5s}",
            description =
                    "Longest a connection to a backend may take (env ROUTER_CONNECT_TIMEOUT; default ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(
            names = "--heartbeat-ttl",
            converter = DurationConverter.class,
            defaultValue = "${env:ROUTER_HEARTBEAT_TTL:-120s}",
            description = "The registry's --heartbeat-ttl: a record is healthy while its heartbeat is younger "
                    + "(env ROUTER_HEARTBEAT_TTL; default ${DEFAULT-VALUE}).")
    Duration heartbeatTtl;

    @Option(
            names = "--token",
            defaultValue = "${env:REGISTRY_TOKEN}",
            description = "Bearer token for a registry started with --token-reads (env REGISTRY_TOKEN).")
    String token;

    @Override
    public Integer call() throws InterruptedException {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        HELIDON_FEATURES.setLevel(Level.WARNING);
        RouterSettings settings;
        try {
            List<String> urls = Arrays.stream(registry.split(","))
                    .map(String::trim)
                    .filter(u -> !u.isEmpty())
                    .toList();
            List<Backend> fixed = staticServices == null ? List.of() : StaticServices.read(staticServices);
            settings = RouterSettings.defaults(urls)
                    .withAddress(host, port)
                    .withStaticServices(fixed)
                    .withLimits(sizeThreshold, maxBody)
                    .withTimeouts(timeout, connectTimeout)
                    .withRegistryAccess(heartbeatTtl, token);
        } catch (IllegalArgumentException ex) {
            System.err.println("route: " + ex.getMessage());
            return 2;
        }
        RouterServer router;
        try {
            router = RouterServer.start(settings);
        } catch (IllegalStateException ex) {
            System.err.println("route: " + ex.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            router.close();
                            stopped.countDown();
                        },
                        "router-shutdown"));
        stopped.await();
        return 0;
    }
}
