package dev.registry.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Heartbeats on a fixed schedule while thousands of {@code GET /events/stream} subscribers
 * follow the log, a few of them reading nothing: what the fan-out costs the writer (heartbeat
 * latency p50/p99/max, from each request's scheduled time) and the server's memory (RSS).
 */
final class StreamSubscribersBench {

    /** A slow subscriber's receive buffer: its server-side writes block after a few events. */
    private static final int SLOW_RECEIVE_BUFFER = 4096;

    private StreamSubscribersBench() {}

    /**
     * {@code streams PORT SERVER_PID SECONDS [SUBSCRIBERS] [SLOW] [RATE]}: one table row for the
     * server on {@code PORT} (process {@code SERVER_PID}, for its RSS).
     */
    static void run(int port, long serverPid, double seconds, int subscribers, int slow, double rate) throws Exception {
        for (int i = 0; i < 1000; i++) {
            BenchMain.request(port, "POST", "/services", BenchMain.registration(i));
        }
        HttpLoad load = new HttpLoad("127.0.0.1", port);
        HttpLoad.Scenario heartbeat = new HttpLoad.Scenario(
                "heartbeat",
                k -> HttpLoad.Scenario.http("POST", "/services/svc-" + k % 1000 + "/heartbeat", null),
                200);
        load.atRate(heartbeat, 16, Math.min(3, seconds), rate); // warm-up
        long rssAlone = rssBytes(serverPid);

        // the streams that read are drained by one selector thread, so the load generator's own
        // heartbeat threads do not queue behind 2,000 readers in this JVM
        StreamReaders readers = new StreamReaders();
        List<Socket> slowSockets = new ArrayList<>();
        byte[] request = "GET /events/stream HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < subscribers; i++) {
            if (i < slow) {
                Socket s = new Socket();
                s.setReceiveBufferSize(SLOW_RECEIVE_BUFFER);
                s.connect(new InetSocketAddress("127.0.0.1", port));
                s.getOutputStream().write(request);
                slowSockets.add(s);
            } else {
                readers.open(port, request);
            }
        }
        Thread reading = Thread.ofPlatform().name("stream-readers").start(readers);
        awaitSubscribers(port, subscribers);
        long rssIdle = rssBytes(serverPid);

        RssPeak peak = new RssPeak(serverPid);
        Thread sampler = Thread.ofVirtual().start(peak);
        HttpLoad.Result r = load.atRate(heartbeat, 16, seconds, rate);
        sampler.interrupt();
        sampler.join();
        String resets = metric(port, "registry_event_stream_resets_total");
        for (Socket s : slowSockets) {
            s.close();
        }
        reading.interrupt();
        reading.join();
        readers.close();
        System.out.printf(
                Locale.ROOT,
                "| %,d (%d reading nothing) | %,.0f/s | %.2f | %.2f | %.2f | %d | %d MiB | %d MiB (%,d B per subscriber) | %d MiB"
                        + " | %.1f MiB/s | %s / %d |%n",
                subscribers,
                slow,
                rate,
                r.percentileMillis(50),
                r.percentileMillis(99),
                r.latencyMicros().getMaxValue() / 1000.0,
                r.errors(),
                rssAlone >> 20,
                rssIdle >> 20,
                (rssIdle - rssAlone) / Math.max(1, subscribers),
                peak.max >> 20,
                readers.bytesRead / seconds / (1 << 20),
                resets,
                readers.ended);
    }

    static void header() {
        System.out.println("| subscribers | heartbeats | p50 ms | p99 ms | max ms | errors | RSS before"
                + " | RSS, subscribers idle | RSS peak under load | streams read | resets / streams ended |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    }

    /** Reads every stream that reads and throws the bytes away, on one selector thread. */
    private static final class StreamReaders implements Runnable {
        private final Selector selector;
        private volatile long bytesRead;
        private volatile int ended;

        StreamReaders() throws IOException {
            selector = Selector.open();
        }

        void open(int port, byte[] request) throws IOException {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            channel.write(ByteBuffer.wrap(request));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
        }

        @Override
        public void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    selector.select(100);
                    for (SelectionKey key : selector.selectedKeys()) {
                        SocketChannel channel = (SocketChannel) key.channel();
                        buffer.clear();
                        int n = channel.read(buffer);
                        if (n < 0) {
                            ended++; // the server ended this stream
                            key.cancel();
                            channel.close();
                        } else {
                            bytesRead += n;
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException failed) {
                throw new java.io.UncheckedIOException(failed);
            }
        }

        void close() throws IOException {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        }
    }

    private static void awaitSubscribers(int port, int subscribers) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String n = metric(port, "registry_event_stream_subscribers");
            if (!n.equals("n/a") && Double.parseDouble(n) >= subscribers) {
                return;
            }
            Thread.sleep(100); // polling another process's gauge: nothing to wait on here
        }
        throw new IllegalStateException("the server never reported " + subscribers + " subscribers");
    }

    /** The value of a metric (its first sample), or "n/a" when the server has none by that name. */
    private static String metric(int port, String name) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            String text = client.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            for (String line : text.split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return String.format(
                            Locale.ROOT, "%.0f", Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
            return "n/a";
        }
    }

    static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    /** Samples a process's RSS every 100 ms until interrupted, keeping the largest. */
    private static final class RssPeak implements Runnable {
        private final long pid;
        private volatile long max;

        RssPeak(long pid) {
            this.pid = pid;
        }

        @Override
        public void run() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    max = Math.max(max, rssBytes(pid));
                    Thread.sleep(100); // a sampling period, not a wait for something
                }
            } catch (InterruptedException | IOException done) {
                // the run is over
            }
        }
    }
}
