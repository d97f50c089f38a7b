package dev.registry.bench;

import dev.registry.events.event.LeaseGranted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.log.UnsafeMemoryAccess;
import dev.registry.kafka.KafkaEventLog;
import dev.registry.kafka.KafkaLogSettings;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Registry nodes on Kafka beside the embedded log, in one run: heartbeats/s at saturation through
 * one Chronicle node, one Kafka node and three Kafka nodes (load split across them); how long an
 * event written through one node takes to be visible on the two others; and how long after the
 * lease holder is killed the next time-driven event is appended.
 *
 * <p>{@code BenchMain kafka SERVER_JAR BOOTSTRAP SECONDS}; {@code tools/bench/kafka.sh} starts the
 * brokers ({@code bin/kafka-local --brokers 3}) and runs it.
 */
final class KafkaNodesBench {

    private KafkaNodesBench() {}

    static void run(Path serverJar, String bootstrap, double seconds) throws Exception {
        System.out.println("| setup | heartbeats/s (64 connections) | p99 ms at saturation |");
        System.out.println("|---|---|---|");
        try (Node chronicle = Node.start(serverJar, List.of())) {
            heartbeats("one node, embedded Chronicle log", List.of(chronicle), seconds);
        }
        String one = "bench-one-" + System.nanoTime();
        try (Node node = Node.start(serverJar, kafka(bootstrap, one, "n1", "120s"))) {
            heartbeats("one node, Kafka (3 brokers, replication 3)", List.of(node), seconds);
        }
        String three = "bench-three-" + System.nanoTime();
        List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                // a TTL of 1 s: the failover phase's quiet records expire at once
                nodes.add(Node.start(serverJar, kafka(bootstrap, three, "n" + i, "1s")));
            }
            heartbeats("three nodes, Kafka, load on all three", nodes, seconds);
            visibility(nodes);
            failover(nodes, bootstrap, three);
        } finally {
            nodes.forEach(Node::close);
        }
    }

    private static void heartbeats(String setup, List<Node> nodes, double seconds) throws Exception {
        for (int i = 0; i < 1000; i++) {
            request(nodes.get(i % nodes.size()).port, "POST", "/services", registration(i));
        }
        HttpLoad.Scenario beat = new HttpLoad.Scenario(
                "heartbeat",
                k -> HttpLoad.Scenario.http("POST", "/services/svc-" + k % 1000 + "/heartbeat", null),
                200);
        int connections = 64 / nodes.size();
        ExecutorService loads = Executors.newFixedThreadPool(nodes.size());
        for (Node n : nodes) { // warm-up
            loads.submit(() -> new HttpLoad("127.0.0.1", n.port).saturate(beat, connections, Math.min(3, seconds)));
        }
        List<Future<HttpLoad.Result>> runs = new ArrayList<>();
        loads.shutdown();
        loads.awaitTermination(1, TimeUnit.MINUTES);
        ExecutorService measured = Executors.newFixedThreadPool(nodes.size());
        for (Node n : nodes) {
            runs.add(measured.submit(() -> new HttpLoad("127.0.0.1", n.port).saturate(beat, connections, seconds)));
        }
        double total = 0;
        double p99 = 0;
        long errors = 0;
        for (Future<HttpLoad.Result> r : runs) {
            total += r.get().perSecond();
            p99 = Math.max(p99, r.get().percentileMillis(99));
            errors += r.get().errors();
        }
        measured.shutdown();
        System.out.printf(
                Locale.ROOT, "| %s | %,.0f | %.2f |%s%n", setup, total, p99, errors > 0 ? " errors: " + errors : "");
    }

    /** Written through the first node, until both others answer a blocking query past its index. */
    private static void visibility(List<Node> nodes) throws Exception {
        Histogram micros = new Histogram(60_000_000L, 3);
        for (int i = 0; i < 300; i++) {
            long t0 = System.nanoTime();
            HttpURLConnection c = open(nodes.get(0).port, "POST", "/services/svc-" + i + "/heartbeat");
            c.getInputStream().readAllBytes();
            long index = Long.parseLong(c.getHeaderField("X-Registry-Index"));
            for (Node other : nodes.subList(1, 3)) {
                open(other.port, "GET", "/services/svc-" + i + "?index=" + (index - 1) + "&wait=10s")
                        .getInputStream()
                        .readAllBytes();
            }
            micros.recordValue((System.nanoTime() - t0) / 1000);
        }
        System.out.printf(
                Locale.ROOT,
                "%nWritten through one node, visible on both others (300 heartbeats one at a time): "
                        + "p50 %.2f ms, p99 %.2f ms%n",
                micros.getValueAtPercentile(50) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0);
    }

    /** The lease holder (the first node, which took the first lease) killed; the next time-driven event. */
    private static void failover(List<Node> nodes, String bootstrap, String topic) throws Exception {
        for (int i = 0; i < 5; i++) {
            request(nodes.get(1).port, "POST", "/services", registration(5000 + i)); // TTL 1 s: expire at once
        }
        Thread.sleep(1500); // the holder expires them: the lease is in use
        long killed = System.nanoTime();
        nodes.get(0).process.destroyForcibly();
        long killedAtMillis = System.currentTimeMillis();
        for (int i = 0; i < 5; i++) {
            request(nodes.get(1).port, "POST", "/services", registration(6000 + i));
        }
        try (KafkaEventLog log = KafkaEventLog.openForReading(
                        KafkaLogSettings.of(bootstrap, "bench").withTopic(topic));
                EventReader reader = log.reader()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Long takeover = null;
            Long firstEvent = null;
            while (System.nanoTime() < deadline && firstEvent == null) {
                LoggedEvent e = reader.next();
                if (e == null) {
                    continue;
                }
                long at = e.event().time().toEpochMilli() - killedAtMillis;
                if (at < 0) {
                    continue;
                }
                if (takeover == null
                        && e.event() instanceof LeaseGranted g
                        && !g.holder().equals("n1")) {
                    takeover = at;
                }
                if (takeover != null && e.event() instanceof ServiceExpired x && x.leaseEpoch() > 0) {
                    firstEvent = at;
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "Lease holder killed (SIGKILL): lease taken over after %d ms, next time-driven "
                            + "event (an expiry) appended after %d ms (lease 5 s; measured %d ms of wall time)%n",
                    takeover,
                    firstEvent,
                    (System.nanoTime() - killed) / 1_000_000);
        }
    }

    private static List<String> kafka(String bootstrap, String topic, String node, String ttl) {
        return List.of(
                "--log",
                "kafka",
                "--kafka-bootstrap",
                bootstrap,
                "--kafka-topic",
                topic,
                "--node-id",
                node,
                "--heartbeat-ttl",
                ttl);
    }

    private static String registration(int i) {
        return "{\"name\":\"svc-" + i + "\",\"host\":\"10.1.0." + i % 250 + "\",\"port\":" + (8000 + i % 1000)
                + ",\"hostname\":\"gpu-" + i + "\",\"url\":\"http://10.1.0." + i % 250
                + ":8000\",\"status\":\"running\","
                + "\"metadata\":{\"type\":\"openai-api\",\"models\":[\"m\"]}}";
    }

    private static void request(int port, String method, String path, String body) throws IOException {
        HttpURLConnection c = open(port, method, path);
        if (body != null) {
            c.setDoOutput(true);
            c.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
        c.getInputStream().readAllBytes();
    }

    private static HttpURLConnection open(int port, String method, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        c.setRequestMethod(method);
        return c;
    }

    /** A registry server from the packaged jar, on a free port and a fresh data directory. */
    private record Node(Process process, int port, Path dir) implements AutoCloseable {
        static Node start(Path serverJar, List<String> args) throws Exception {
            int port = LoopbackServer.freePort();
            Path dir = Files.createTempDirectory("bench-node");
            List<String> command = new ArrayList<>(
                    List.of(ProcessHandle.current().info().command().orElse("java")));
            command.addAll(UnsafeMemoryAccess.childJvmFlags());
            command.addAll(List.of(
                    "-Xmx1g",
                    "-jar",
                    serverJar.toString(),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    Integer.toString(port),
                    "--data-dir",
                    dir.toString(),
                    "--checks",
                    "off"));
            command.addAll(args);
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(
                            dir.resolveSibling(dir.getFileName() + ".log").toFile())
                    .start();
            try {
                LoopbackServer.awaitHealth(p, port, "the server (its output: " + dir + ".log)", Duration.ofSeconds(60));
            } catch (IllegalStateException notStarted) {
                p.destroyForcibly();
                throw notStarted;
            }
            return new Node(p, port, dir);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }
    }
}
