package dev.registry.bench;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What the router adds: a fast fake model server in this JVM, the router from the packaged tools
 * jar in a JVM of its own in front of it, and the same load sent to each. Prints Markdown rows:
 * latency at a fixed rate (open loop, from each request's scheduled time), throughput at
 * saturation, and time to the first byte of a streamed reply.
 */
final class RouterOverhead {

    private static final String CHAT =
            "{\"model\":\"bench\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
    private static final byte[] REPLY =
            ("{\"id\":\"bench\",\"object\":\"chat.completion\",\"model\":\"bench\",\"choices\":"
                            + "[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello!\"},\"finish_reason\":\"stop\"}],"
                            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}")
                    .getBytes(StandardCharsets.UTF_8);

    private RouterOverhead() {}

    static void run(Path toolsJar, double seconds, double rate) throws Exception {
        WebServer backend = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .shutdownHook(false)
                .connectionOptions(o -> o.tcpNoDelay(true))
                .routing(r -> r.post("/v1/chat/completions", (req, res) -> {
                            req.content().consume();
                            res.header(HeaderNames.CONTENT_TYPE, "application/json");
                            res.send(REPLY);
                        })
                        .post("/v1/stream", (req, res) -> {
                            req.content().consume();
                            res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
                            try (OutputStream out = res.outputStream()) {
                                for (int i = 0; i < 4; i++) {
                                    out.write(("data: {\"n\":" + i + "}\n\n").getBytes(StandardCharsets.UTF_8));
                                    out.flush();
                                }
                            }
                        }))
                .build()
                .start();
        Path file = Files.createTempFile("bench-static", ".json");
        Files.writeString(
                file,
                "[{\"name\":\"bench-backend\",\"host\":\"127.0.0.1\",\"port\":" + backend.port()
                        + ",\"metadata\":{\"models\":[\"bench\"]}}]");
        int routerPort = LoopbackServer.freePort();
        Process router = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx512m",
                        "-jar",
                        toolsJar.toString(),
                        "route",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        Integer.toString(routerPort),
                        "--registry",
                        "http://127.0.0.1:1",
                        "--static-services",
                        file.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            LoopbackServer.awaitHealth(router, routerPort, "router", Duration.ofMinutes(1));
            HttpLoad direct = new HttpLoad("127.0.0.1", backend.port());
            HttpLoad routed = new HttpLoad("127.0.0.1", routerPort);
            HttpLoad.Scenario chat = new HttpLoad.Scenario(
                    "POST /v1/chat/completions",
                    k -> HttpLoad.Scenario.http("POST", "/v1/chat/completions", CHAT),
                    200);
            routed.saturate(chat, 64, Math.min(5, seconds)); // warm-up: JIT, connections
            direct.saturate(chat, 64, Math.min(3, seconds));

            System.out.printf("| path | rate | p50 ms | p99 ms | p99.9 ms | errors |%n|---|---|---|---|---|---|%n");
            HttpLoad.Result d = direct.atRate(chat, 64, seconds, rate);
            HttpLoad.Result r = routed.atRate(chat, 64, seconds, rate);
            latencyRow("direct to the backend", rate, d);
            latencyRow("through the router", rate, r);
            System.out.printf(
                    Locale.ROOT,
                    "| added by the router | | %.2f | %.2f | %.2f | |%n",
                    r.percentileMillis(50) - d.percentileMillis(50),
                    r.percentileMillis(99) - d.percentileMillis(99),
                    r.percentileMillis(99.9) - d.percentileMillis(99.9));

            System.out.printf("%n| saturation (64 connections, closed loop) | requests/s | errors |%n|---|---|---|%n");
            HttpLoad.Result maxDirect = direct.saturate(chat, 64, seconds);
            HttpLoad.Result maxRouted = routed.saturate(chat, 64, seconds);
            System.out.printf(
                    Locale.ROOT, "| direct to the backend | %,.0f | %d |%n", maxDirect.perSecond(), maxDirect.errors());
            System.out.printf(
                    Locale.ROOT, "| through the router | %,.0f | %d |%n", maxRouted.perSecond(), maxRouted.errors());

            System.out.printf(
                    "%n| streamed reply, time to first byte (one connection, back to back) | p50 ms | p99 ms |%n|---|---|---|%n");
            int n = (int) Math.max(500, seconds * 200);
            ttfb(backend.port(), n / 5); // warm-up
            ttfb(routerPort, n / 5);
            Histogram ttfbDirect = ttfb(backend.port(), n);
            Histogram ttfbRouted = ttfb(routerPort, n);
            ttfbRow("direct to the backend", ttfbDirect);
            ttfbRow("through the router", ttfbRouted);
            System.out.printf(
                    Locale.ROOT,
                    "| added by the router | %.3f | %.3f |%n",
                    (ttfbRouted.getValueAtPercentile(50) - ttfbDirect.getValueAtPercentile(50)) / 1000.0,
                    (ttfbRouted.getValueAtPercentile(99) - ttfbDirect.getValueAtPercentile(99)) / 1000.0);
        } finally {
            router.destroy();
            router.waitFor(30, TimeUnit.SECONDS);
            backend.stop();
            Files.deleteIfExists(file);
        }
    }

    private static void latencyRow(String path, double rate, HttpLoad.Result at) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %,.0f/s | %.2f | %.2f | %.2f | %d |%n",
                path,
                rate,
                at.percentileMillis(50),
                at.percentileMillis(99),
                at.percentileMillis(99.9),
                at.errors());
    }

    private static void ttfbRow(String path, Histogram h) {
        System.out.printf(
                Locale.ROOT,
                "| %s | %.3f | %.3f |%n",
                path,
                h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0);
    }

    /** {@code n} streamed requests one after another on one connection: microseconds to the first body byte. */
    private static Histogram ttfb(int port, int n) throws IOException {
        Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
        byte[] request = HttpLoad.Scenario.http("POST", "/v1/stream", "{\"model\":\"bench\",\"stream\":true}");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                out.write(request);
                out.flush();
                String status = HttpLoad.readLine(in);
                if (!status.startsWith("HTTP/1.1 200")) {
                    throw new IOException("unexpected reply: " + status);
                }
                while (!HttpLoad.readLine(in).isEmpty()) {
                    // headers
                }
                int size = Integer.parseInt(HttpLoad.readLine(in).trim(), 16);
                in.read(); // the first byte of the first chunk
                h.recordValue((System.nanoTime() - t0) / 1000);
                in.skipNBytes(size - 1);
                HttpLoad.readLine(in);
                for (size = Integer.parseInt(HttpLoad.readLine(in).trim(), 16);
                        size > 0;
                        size = Integer.parseInt(HttpLoad.readLine(in).trim(), 16)) {
                    in.skipNBytes(size);
                    HttpLoad.readLine(in);
                }
                HttpLoad.readLine(in); // the blank line after the last chunk
            }
        }
        return h;
    }
}
