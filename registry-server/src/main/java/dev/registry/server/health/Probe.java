package dev.registry.server.health;

import dev.registry.api.ServiceRecord;
import dev.registry.server.observe.RegistryMetrics;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Active health checks over HTTP: {@code GET http://{host}:{port+1}/health} for {@code openai-api}
 * records (their babysitter listens on the port after the server's), {@code GET {url}/health} for
 * the rest. Any 2xx is healthy, anything else unhealthy, with a short detail of what was seen.
 *
 * <p>Checks are asynchronous on one shared client: a thousand hanging endpoints cost a thousand
 * sockets for one timeout, not a thousand threads. A semaphore bounds the checks in flight.
 */
public final class Probe implements AutoCloseable {

    /** What one check saw. */
    public record Result(String healthStatus, String detail) {
        public boolean healthy() {
            return ServiceRecord.HEALTH_HEALTHY.equals(healthStatus);
        }
    }

    private final Duration timeout;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** Built by the first check: a client loads the JDK's trusted certificates, a start need not wait for that. */
    private HttpClient client;

    private boolean closed;
    private volatile RegistryMetrics metrics = RegistryMetrics.NONE;

    public Probe(Duration timeout, int maxInFlight) {
        this.timeout = timeout;
        this.inFlight = new Semaphore(maxInFlight);
        this.maxInFlight = maxInFlight;
    }

    private synchronized HttpClient client() {
        if (closed) {
            throw new IllegalStateException("the probe is closed");
        }
        if (client == null) {
            client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(executor)
                    .build();
        }
        return client;
    }

    /** Records each check's result and duration into {@code recorder}. */
    public Probe recordInto(RegistryMetrics recorder) {
        this.metrics = recorder;
        return this;
    }

    /** Checks in flight now. */
    public int inFlight() {
        return maxInFlight - inFlight.availablePermits();
    }

    /** The URL a record is checked at. */
    public static URI target(ServiceRecord record) {
        if ("openai-api".equals(record.metadata().path("type").asText(null))) {
            String host = record.host().contains(":") && !record.host().startsWith("[")
                    ? "[" + record.host() + "]"
                    : record.host();
            return URI.create("http://" + host + ":" + (record.port() + 1) + "/health");
        }
        String base = record.url().endsWith("/")
                ? record.url().substring(0, record.url().length() - 1)
                : record.url();
        return URI.create(base + "/health");
    }

    /**
     * Checks {@code record}; waits for a free slot first (so call it from a thread that may
     * block). The future always completes normally, within about the timeout.
     */
    public CompletableFuture<Result> check(ServiceRecord record) {
        HttpRequest request;
        try {
            URI uri = target(record);
            if (uri.getHost() == null
                    || uri.getPort() > 65_535
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                return CompletableFuture.completedFuture(unhealthy("invalid url"));
            }
            request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        } catch (IllegalArgumentException ex) {
            return CompletableFuture.completedFuture(unhealthy("invalid url"));
        }
        inFlight.acquireUninterruptibly();
        long t0 = System.nanoTime();
        CompletableFuture<HttpResponse<Void>> sent;
        try {
            sent = client().sendAsync(request, HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException refused) {
            inFlight.release();
            return CompletableFuture.completedFuture(
                    unhealthy("error: " + refused.getClass().getSimpleName()));
        }
        return sent.handle((response, error) -> {
                    inFlight.release();
                    if (error != null) {
                        return unhealthy(describe(error));
                    }
                    int code = response.statusCode();
                    return new Result(
                            code >= 200 && code < 300 ? ServiceRecord.HEALTH_HEALTHY : ServiceRecord.HEALTH_UNHEALTHY,
                            "HTTP " + code);
                })
                .whenComplete((result, never) -> metrics.checked(result.healthy(), System.nanoTime() - t0));
    }

    private static Result unhealthy(String detail) {
        return new Result(ServiceRecord.HEALTH_UNHEALTHY, detail);
    }

    /** refused, timeout, dns, or the error's class for anything else. */
    static String describe(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "dns";
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return "timeout";
            }
            if (t instanceof ConnectException) {
                return "refused";
            }
        }
        Throwable root = error;
        while (root.getCause() != null && !(root instanceof IOException)) {
            root = root.getCause();
        }
        return "error: " + root.getClass().getSimpleName();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (client != null) {
                client.shutdownNow();
            }
        }
        executor.shutdownNow();
    }
}
