package dev.registry.router.membership;

import dev.registry.api.client.RegistryClient;
import dev.registry.api.watch.ServiceWatcher;
import dev.registry.api.watch.WatchListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The registries the router learns membership from ({@code --registry URL[,URL…]}): one
 * {@link ServiceWatcher} per URL, each following its registry's event stream, and a probe of each
 * registry's {@code GET /health} every second. The first reachable registry whose watcher has its
 * list is the one membership is read from; when none is reachable, there is none, and membership
 * keeps the last set it had.
 *
 * <p>(The client itself does not fail over between URLs yet; until it does, the list is handled
 * here, one watcher per URL.)
 */
public final class RegistrySources implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RegistrySources.class.getName());
    private static final Duration PROBE_EVERY = Duration.ofSeconds(1);

    private final List<Source> sources = new ArrayList<>();
    private final HttpClient probeClient = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(PROBE_EVERY)
            .proxy(HttpClient.Builder.NO_PROXY)
            .build();
    private final Runnable changed;
    private final CountDownLatch closed = new CountDownLatch(1);
    private Thread prober;

    /** One registry: its URL, its watcher (once started) and whether its last probe answered. */
    private static final class Source {
        final String url;
        final RegistryClient client;
        volatile ServiceWatcher watcher;
        volatile boolean reachable;
        volatile boolean probed;

        Source(String url, String token) {
            this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            this.client = RegistryClient.builder(this.url)
                    .connectTimeout(Duration.ofSeconds(2))
                    .requestTimeout(Duration.ofSeconds(10))
                    .token(token)
                    .build();
        }
    }

    /** @param changed told of every change the watchers see and of every registry coming or going */
    public RegistrySources(List<String> urls, String token, Runnable changed) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("--registry: at least one URL");
        }
        for (String url : urls) {
            sources.add(new Source(url.trim(), token));
        }
        this.changed = changed;
    }

    /** Starts the watchers and the probe. */
    public void start(Duration heartbeatTtl) {
        WatchListener listener = new WatchListener() {
            @Override
            public void added(dev.registry.api.ServiceRecord record) {
                changed.run();
            }

            @Override
            public void changed(dev.registry.api.ServiceRecord before, dev.registry.api.ServiceRecord after) {
                changed.run();
            }

            @Override
            public void removed(dev.registry.api.ServiceRecord record) {
                changed.run();
            }
        };
        for (Source s : sources) {
            // started on a thread of its own: a start that waits for the first list must not hold up the router
            Thread.ofVirtual()
                    .name("router-watch-start")
                    .start(() -> s.watcher = ServiceWatcher.builder(s.client)
                            .listener(listener)
                            .heartbeatTtl(heartbeatTtl)
                            .backoff(Duration.ofMillis(100), Duration.ofSeconds(5))
                            .start());
        }
        prober = Thread.ofVirtual().name("router-registry-probe").start(this::probeLoop);
    }

    private void probeLoop() {
        do {
            for (Source s : sources) {
                boolean answered = answers(s);
                if (answered != s.reachable || !s.probed) {
                    LOG.log(
                            answered ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                            "registry " + s.url + (answered ? " reachable" : " unreachable"));
                    s.reachable = answered;
                    s.probed = true;
                    changed.run();
                }
            }
        } while (!await(PROBE_EVERY));
    }

    private boolean answers(Source s) {
        try {
            HttpResponse<Void> r = probeClient.send(
                    HttpRequest.newBuilder(URI.create(s.url + "/health"))
                            .timeout(PROBE_EVERY)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (java.io.IOException | IllegalArgumentException ex) {
            return false;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean await(Duration d) {
        try {
            return closed.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            return true;
        }
    }

    /** The watcher membership is read from: the first reachable registry's, once it has its list. */
    public Optional<ServiceWatcher> active() {
        for (Source s : sources) {
            ServiceWatcher w = s.watcher;
            if (s.reachable && w != null && w.index() >= 0) {
                return Optional.of(w);
            }
        }
        return Optional.empty();
    }

    /** The URL of the registry membership is read from, else the first configured. */
    public String activeUrl() {
        for (Source s : sources) {
            ServiceWatcher w = s.watcher;
            if (s.reachable && w != null && w.index() >= 0) {
                return s.url;
            }
        }
        return sources.getFirst().url;
    }

    @Override
    public void close() {
        closed.countDown();
        for (Source s : sources) {
            ServiceWatcher w = s.watcher;
            if (w != null) {
                w.close();
            }
        }
        if (prober != null) {
            prober.interrupt();
        }
    }
}
