package dev.registry.tools.babysit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The babysitter's own endpoint on the server's port + 1, where the registry checks
 * {@code openai-api} records: {@code GET /health} is 200 while the child runs and its port accepts
 * connections, 503 otherwise; {@code GET /info} says who is being watched.
 */
final class HealthServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String name;
    private final int childPort;
    private final Supervisor supervisor;
    private final Supplier<ObjectNode> info;
    private final long started = System.nanoTime();

    HealthServer(String bindHost, int port, String name, int childPort, Supervisor supervisor, Supplier<ObjectNode> info)
            throws IOException {
        this.name = name;
        this.childPort = childPort;
        this.supervisor = supervisor;
        this.info = info;
        server = HttpServer.create(new InetSocketAddress(bindHost, port), 64);
        server.createContext("/health", this::health);
        server.createContext("/info", this::info);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Whether the child runs and accepts connections on its port. */
    boolean childServing() {
        if (!supervisor.childAlive()) {
            return false;
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", childPort), (int) Duration.ofSeconds(1).toMillis());
            return true;
        } catch (IOException ex) {
            return false;
        }
    }

    private void health(HttpExchange exchange) throws IOException {
        boolean alive = supervisor.childAlive();
        boolean serving = alive && childServing();
        ObjectNode body = JSON.createObjectNode();
        body.put("status", serving ? "healthy" : "unhealthy");
        body.put("service", name);
        body.put("child_running", alive);
        body.put("port_open", serving);
        body.put("pid", supervisor.childPid());
        body.put("restarts", supervisor.restarts());
        body.put("uptime", (System.nanoTime() - started) / 1e9);
        send(exchange, serving ? 200 : 503, body);
    }

    private void info(HttpExchange exchange) throws IOException {
        send(exchange, 200, info.get());
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
