package dev.registry.tools.babysit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.registry.api.Durations;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The babysitter's {@code type = "mock"} backend: a small OpenAI-compatible model server to try a
 * fleet out without a GPU. {@code GET /v1/models} (and {@code /models}), {@code GET /health},
 * {@code POST /v1/chat/completions} and {@code /v1/completions}, with {@code "stream": true} as
 * Server-Sent Events, one word per event, {@code --chunk-delay} apart. Each event carries
 * {@code sent_at_ms}, the time it was written, so that a client can tell when the server sent it.
 *
 * <p>{@code java -cp registry-tools.jar dev.registry.tools.babysit.MockModelServer --port P --models a,b [--host H] [--chunk-delay 20ms]}
 */
public final class MockModelServer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final List<String> models;
    private final Duration chunkDelay;

    private MockModelServer(int port, List<String> models, Duration chunkDelay) {
        this.port = port;
        this.models = models;
        this.chunkDelay = chunkDelay;
    }

    /** The command line that runs a mock on {@code port}, in a JVM like this one. */
    static List<String> command(String host, int port, List<String> models) {
        return List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx64m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                MockModelServer.class.getName(),
                "--host",
                host,
                "--port",
                Integer.toString(port),
                "--models",
                String.join(",", models));
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String host = "127.0.0.1";
        int port = -1;
        List<String> models = List.of("mock-model");
        Duration delay = Duration.ofMillis(20);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--models" ->
                    models = Arrays.stream(args[i + 1].split(","))
                            .map(String::trim)
                            .filter(m -> !m.isEmpty())
                            .toList();
                case "--chunk-delay" -> delay = Durations.parse(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (port < 1) {
            System.err.println("usage: MockModelServer --port P [--models a,b] [--host H] [--chunk-delay 20ms]");
            System.exit(2);
        }
        new MockModelServer(port, models, delay).serve(host);
    }

    private void serve(String host) throws IOException, InterruptedException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
        server.createContext("/v1/models", this::models);
        server.createContext("/models", this::models);
        server.createContext(
                "/health",
                exchange -> send(exchange, 200, JSON.createObjectNode().put("status", "ok")));
        server.createContext("/v1/chat/completions", exchange -> complete(exchange, true));
        server.createContext("/v1/completions", exchange -> complete(exchange, false));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        System.out.println("mock model server on " + port + " serving " + models);
        new CountDownLatch(1).await();
    }

    private void models(HttpExchange exchange) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String m : models) {
            data.addObject()
                    .put("id", m)
                    .put("object", "model")
                    .put("created", 0)
                    .put("owned_by", "mock");
        }
        send(exchange, 200, body);
    }

    private void complete(HttpExchange exchange, boolean chat) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            send(exchange, 405, JSON.createObjectNode().put("error", "POST only"));
            return;
        }
        JsonNode request;
        try {
            request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        } catch (IOException ex) {
            send(exchange, 400, JSON.createObjectNode().put("error", "Invalid JSON"));
            return;
        }
        String model = request.path("model").asText(models.getFirst());
        if (!models.contains(model)) {
            send(exchange, 404, JSON.createObjectNode().put("error", "The model '" + model + "' does not exist"));
            return;
        }
        List<String> words = new ArrayList<>(List.of("Hello", " from", " " + model, " on", " port", " " + port));
        String object = chat ? "chat.completion" : "text_completion";
        if (!request.path("stream").asBoolean(false)) {
            ObjectNode body = JSON.createObjectNode()
                    .put("id", "mock-" + System.nanoTime())
                    .put("object", object)
                    .put("created", System.currentTimeMillis() / 1000)
                    .put("model", model);
            ObjectNode choice =
                    body.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
            if (chat) {
                choice.putObject("message").put("role", "assistant").put("content", String.join("", words));
            } else {
                choice.put("text", String.join("", words));
            }
            body.putObject("usage")
                    .put("prompt_tokens", 1)
                    .put("completion_tokens", words.size())
                    .put("total_tokens", words.size() + 1);
            send(exchange, 200, body);
            return;
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < words.size(); i++) {
                if (i > 0) {
                    TimeUnit.NANOSECONDS.sleep(chunkDelay.toNanos()); // the pace of a model generating tokens
                }
                ObjectNode chunk = JSON.createObjectNode()
                        .put("id", "mock")
                        .put("object", object + ".chunk")
                        .put("created", System.currentTimeMillis() / 1000)
                        .put("model", model);
                ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
                if (chat) {
                    choice.putObject("delta").put("content", words.get(i));
                } else {
                    choice.put("text", words.get(i));
                }
                chunk.put("sent_at_ms", System.currentTimeMillis());
                out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
