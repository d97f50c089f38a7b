package dev.registry.tools.babysit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The babysitter's own endpoint on the server's port + 1, where the registry checks
 * {@code openai-api} records, bound to the babysitter's host only: {@code GET /health} is 200 while
 * the child runs and its port accepts connections, 503 with the reason otherwise (unlike the
 * fleet's supervisor, which said healthy with a dead child); {@code GET /models} lists the child's
 * models; {@code GET /info} says who is being watched.
 */
final class HealthServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String name;
    private final String childHost;
    private final int childPort;
    private final Supervisor supervisor;
    private final Supplier<ObjectNode> info;
    private final Supplier<List<Object>> models;
    private final long started = System.nanoTime();

    /** @throws IOException when {@code bindHost:port} cannot be listened on */
    HealthServer(
            String bindHost,
            int port,
            String name,
            String childHost,
            int childPort,
            Supervisor supervisor,
            Supplier<ObjectNode> info,
            Supplier<List<Object>> models)
            throws IOException {
        this.name = name;
        this.childHost = childHost;
        this.childPort = childPort;
        this.supervisor = supervisor;
        this.info = info;
        this.models = models;
        server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
        server.createContext("/health", this::health);
        server.createContext("/info", exchange -> send(exchange, 200, info.get()));
        server.createContext("/models", this::models);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Whether the child runs and accepts connections on its port. */
    boolean childServing() {
        return supervisor.childAlive() && portOpen();
    }

    private boolean portOpen() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(childHost, childPort), (int)
                    Duration.ofSeconds(1).toMillis());
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        boolean alive = supervisor.childAlive();
        boolean serving = alive && portOpen();
        ObjectNode body = JSON.createObjectNode();
        body.put("status", serving ? "healthy" : "unhealthy");
        body.put("service", name);
        body.put("child_running", alive);
        body.put("port_open", serving);
        body.put("pid", supervisor.childPid());
        body.put("restarts", supervisor.restarts());
        body.put("uptime", uptimeSeconds());
        if (!serving) {
            body.put(
                    "reason",
                    alive
                            ? "the model server (pid " + supervisor.childPid()
                                    + ") does not accept connections on port " + childPort
                            : "the model server is not running (restarts: " + supervisor.restarts() + ")");
        }
        send(exchange, serving ? 200 : 503, body);
    }

    private void models(HttpExchange exchange) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        body.set("data", JSON.valueToTree(models.get()));
        send(exchange, 200, body);
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    double uptimeSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
