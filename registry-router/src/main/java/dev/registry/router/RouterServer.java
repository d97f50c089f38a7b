package dev.registry.router;

import dev.registry.router.choice.RoutingRules;
import dev.registry.router.endpoints.RouterEndpoints;
import dev.registry.router.membership.Membership;
import dev.registry.router.membership.RegistrySources;
import dev.registry.router.proxy.Ejections;
import dev.registry.router.proxy.ProxyHandler;
import dev.registry.router.stats.RouterStats;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.service.registry.Services;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.metrics.MetricsObserver;

/**
 * A running router: membership from the registries' event streams, the routing rules, and the
 * proxy with its own endpoints on one Helidon server.
 */
public final class RouterServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RouterServer.class.getName());

    private final RegistrySources sources;
    private final Membership membership;
    private final ProxyHandler proxy;
    private final WebServer web;
    private final RouterStats stats;

    private RouterServer(
            RegistrySources sources, Membership membership, ProxyHandler proxy, WebServer web, RouterStats stats) {
        this.stats = stats;
        this.sources = sources;
        this.membership = membership;
        this.proxy = proxy;
        this.web = web;
    }

    /**
     * Starts serving.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static RouterServer start(RouterSettings settings) {
        requireFree(settings.host(), settings.port());
        Membership[] membership = new Membership[1];
        RegistrySources sources =
                new RegistrySources(settings.registryUrls(), settings.token(), () -> membership[0].changed());
        Ejections ejections = new Ejections();
        membership[0] = new Membership(sources, settings.staticServices(), ejections::reset);
        RouterStats stats = new RouterStats();
        ProxyHandler proxy = new ProxyHandler(
                membership[0],
                ejections,
                new RoutingRules(settings.sizeThreshold()),
                stats,
                settings.maxBodyBytes(),
                settings.timeout(),
                settings.connectTimeout());
        RouterEndpoints endpoints = new RouterEndpoints(membership[0], sources, ejections, stats);
        WebServer web = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                // every flush of a stream goes out at once, not held back by Nagle for the client's delayed ACK
                .connectionOptions(o -> o.tcpNoDelay(true))
                // /observe/metrics before the proxy, which takes every other path (the routing's weight is 100)
                .featuresDiscoverServices(false)
                .addFeature(ObserveFeature.builder()
                        .weight(200)
                        .addObserver(MetricsObserver.builder()
                                .meterRegistry(Services.get(MeterRegistry.class))
                                .build())
                        .build())
                .routing(r -> r.get("/metrics", (req, res) -> res.reroute("/observe/metrics", req.query()))
                        .get("/health", endpoints::health)
                        .get("/status", endpoints::status)
                        .get("/models", endpoints::models)
                        .get("/v1/models", endpoints::models)
                        .get("/services", endpoints::services)
                        .get("/stats", endpoints::services)
                        .any(proxy))
                .build()
                .start();
        if (!web.isRunning() || web.port() <= 0) {
            web.stop();
            proxy.close();
            stats.close();
            throw new IllegalStateException(
                    "port " + settings.port() + " on " + settings.host() + " cannot be bound (in use?)");
        }
        membership[0].start();
        sources.start(settings.heartbeatTtl());
        LOG.log(
                System.Logger.Level.INFO,
                "routing on http://" + settings.host() + ":" + web.port() + " for "
                        + String.join(",", settings.registryUrls())
                        + (settings.staticServices().isEmpty()
                                ? ""
                                : " and " + settings.staticServices().size() + " static service(s)"));
        return new RouterServer(sources, membership[0], proxy, web, stats);
    }

    /** One clear line for a taken port, rather than the web server's stack trace. */
    private static void requireFree(String host, int port) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, port));
        } catch (java.io.IOException ex) {
            throw new IllegalStateException(
                    "port " + port + " on " + host + " is already in use or cannot be bound (" + ex.getMessage() + ")");
        }
    }

    /** The port it listens on. */
    public int port() {
        return web.port();
    }

    @Override
    public void close() {
        web.stop();
        sources.close();
        membership.close();
        proxy.close();
        stats.close();
    }
}
