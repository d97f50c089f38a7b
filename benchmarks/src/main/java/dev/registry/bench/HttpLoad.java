package dev.registry.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * A small HTTP/1.1 load generator on plain keep-alive sockets, one virtual thread per connection.
 *
 * <p>Closed loop ({@link #saturate}) finds the throughput. Open loop ({@link #atRate}) sends
 * request k at its scheduled time t0 + k/rate, whatever happened before, and measures each latency
 * from that scheduled time: a stalled server shows up as latency of every request it delayed,
 * not as fewer requests (no coordinated omission).
 */
final class HttpLoad {

    /** One kind of request: request k's bytes, and the status that counts as success. */
    public record Scenario(String name, IntFunction<byte[]> request, int expectedStatus) {

        /** A request with an optional body and extra header lines. */
        public static byte[] http(String method, String path, String body, String... headers) {
            StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: bench\r\n");
            for (String h : headers) {
                b.append(h).append("\r\n");
            }
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            b.append("Content-Length: ").append(content.length).append("\r\n\r\n");
            byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[head.length + content.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(content, 0, all, head.length, content.length);
            return all;
        }
    }

    /** What a run measured. */
    public record Result(String scenario, long requests, long errors, double seconds, Histogram latencyMicros) {
        public double perSecond() {
            return requests / seconds;
        }

        public double percentileMillis(double p) {
            return latencyMicros.getValueAtPercentile(p) / 1000.0;
        }
    }

    private final String host;
    private final int port;

    public HttpLoad(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** As fast as {@code connections} connections can go, for {@code seconds}. */
    public Result saturate(Scenario scenario, int connections, double seconds) throws InterruptedException {
        return run(scenario, connections, seconds, 0);
    }

    /** {@code rate} requests per second on a fixed schedule, for {@code seconds}. */
    public Result atRate(Scenario scenario, int connections, double seconds, double rate) throws InterruptedException {
        return run(scenario, connections, seconds, rate);
    }

    private Result run(Scenario scenario, int connections, double seconds, double rate) throws InterruptedException {
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        double intervalNanos = rate > 0 ? 1e9 / rate : 0;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                Histogram local = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
                try (Socket socket = new Socket(host, port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
                    while (true) {
                        long k = next.getAndIncrement();
                        long intended = rate > 0 ? start + (long) (k * intervalNanos) : System.nanoTime();
                        if (intended >= end) {
                            break;
                        }
                        long wait = intended - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        out.write(scenario.request().apply((int) (k & 0x7FFFFFFF)));
                        out.flush();
                        int status = readResponse(in);
                        local.recordValue(Math.max(0, (System.nanoTime() - intended) / 1000));
                        done.incrementAndGet();
                        if (status != scenario.expectedStatus()) {
                            errors.incrementAndGet();
                        }
                    }
                } catch (IOException ex) {
                    errors.incrementAndGet();
                }
                synchronized (histogram) {
                    histogram.add(local);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Result(scenario.name(), done.get(), errors.get(), elapsed, histogram);
    }

    /** Reads one response (status line, headers, Content-Length body); returns the status. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.regionMatches(true, 0, "content-length", 0, colon)) {
                length = Long.parseLong(line.substring(colon + 1).trim());
            }
        }
        while (length > 0) {
            long skipped = in.skip(length);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                skipped = 1;
            }
            length -= skipped;
        }
        return status;
    }

    /** One line of an HTTP head, without its CR LF. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
