package dev.registry.server.client;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.registry.api.ServiceRecord;
import dev.registry.api.client.RegistryClient;
import dev.registry.api.watch.ServiceWatcher;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Against a registry without an event stream (404 on /events/stream), the watcher keeps its copy
 * current with blocking queries.
 */
class WatcherFallbackTest {

    /** A registry that knows only GET /services, with blocking queries on a version counter. */
    private static final class ListOnlyRegistry implements AutoCloseable {
        private final HttpServer server;
        private final Map<String, Integer> ports = new LinkedHashMap<>();
        private long version = 1;
        private int blockingQueries;

        ListOnlyRegistry() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
        }

        String base() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        synchronized void put(String name, int port) {
            ports.put(name, port);
            version++;
            notifyAll();
        }

        synchronized void remove(String name) {
            ports.remove(name);
            version++;
            notifyAll();
        }

        synchronized int blockingQueries() {
            return blockingQueries;
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/services")) {
                send(exchange, 404, "{\"error\":\"Not found: " + path + "\"}", -1);
                return;
            }
            String query = exchange.getRequestURI().getQuery();
            StringBuilder body = new StringBuilder("{\"services\":[");
            long at;
            synchronized (this) {
                if (query != null && query.contains("index=")) {
                    blockingQueries++;
                    long index = Long.parseLong(query.replaceAll(".*index=(\\d+).*", "$1"));
                    long deadline = System.currentTimeMillis() + 10_000;
                    while (version <= index && System.currentTimeMillis() < deadline) {
                        try {
                            wait(Math.max(1, deadline - System.currentTimeMillis()));
                        } catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }
                at = version;
                String sep = "";
                for (var e : ports.entrySet()) {
                    body.append(sep)
                            .append("{\"name\":\"")
                            .append(e.getKey())
                            .append("\",\"host\":\"127.0.0.1\",\"port\":")
                            .append(e.getValue())
                            .append(",\"hostname\":\"h\",\"url\":\"http://127.0.0.1\",\"status\":\"running\","
                                    + "\"timestamp\":\"t\",\"last_heartbeat\":1.0,\"health_status\":\"unknown\",\"metadata\":{},"
                                    + "\"is_healthy\":false}");
                    sep = ",";
                }
                body.append("],\"total\":").append(ports.size()).append(",\"timestamp\":\"t\"}");
            }
            send(exchange, 200, body.toString(), at);
        }

        private static void send(HttpExchange exchange, int status, String body, long index) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (index >= 0) {
                exchange.getResponseHeaders().add("X-Registry-Index", Long.toString(index));
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void withoutAnEventStreamBlockingQueriesKeepTheCopyCurrent() throws Exception {
        try (ListOnlyRegistry registry = new ListOnlyRegistry()) {
            registry.put("a", 1);
            try (ServiceWatcher watcher = ServiceWatcher.builder(RegistryClient.create(registry.base()))
                    .start()) {
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> watcher.get("a").isPresent());
                await().atMost(Duration.ofSeconds(10)).until(() -> registry.blockingQueries() > 0);
                registry.put("b", 2);
                registry.put("a", 3);
                registry.remove("b");
                registry.put("c", 4);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> watcher.snapshot().size() == 2
                                && watcher.get("a").map(ServiceRecord::port).orElse(0) == 3
                                && watcher.get("c").isPresent());
                assertThat(watcher.get("b").isPresent(), is(false));
            }
        }
    }
}
