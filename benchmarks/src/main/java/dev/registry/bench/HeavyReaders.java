package dev.registry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Heartbeats while heavy readers run (issue 14): loads {@link #RECORDS} records into a running
 * server, then, for the given time, 8 clients ask {@code /diff} and {@code ?at=} over the whole
 * range and 16 clients list every record, each asking again as soon as it has an answer (a 503
 * too: no client here waits for {@code Retry-After}). Meanwhile heartbeats go out on a fixed
 * schedule, their latency measured from the scheduled time, and the server's resident memory is
 * sampled. Prints one Markdown row: server, heartbeats sent (unanswered, failed), p50, p99 and max in ms,
 * heavy replies 200 / 503 / failed, largest RSS.
 */
final class HeavyReaders {

    static final int RECORDS = 200_000;
    /** Clients asking {@code /diff} and {@code ?at=}, unless told otherwise. */
    static final int TIME_TRAVELLERS = 8;
    /** Clients listing every record, unless told otherwise. */
    static final int LISTERS = 16;
    /** Heartbeats per second while the readers run. */
    static final double HEARTBEAT_RATE = 50;

    private HeavyReaders() {}

    /**
     * @param label   the row's name for the server
     * @param port    the running server's port
     * @param pid     its process, for its resident memory
     * @param seconds how long the readers and heartbeats run
     */
    static void run(String label, int port, long pid, double seconds) throws Exception {
        run(label, port, pid, seconds, TIME_TRAVELLERS, LISTERS);
    }

    /**
     * As {@link #run(String, int, long, double)} with {@code travellers} clients asking diffs and
     * past views and {@code listers} listing (one kind alone shows what each costs).
     */
    static void run(String label, int port, long pid, double seconds, int travellers, int listers) throws Exception {
        String base = "http://127.0.0.1:" + port;
        Instant start = Instant.now();
        load(base);
        HttpLoad heartbeats = new HttpLoad("127.0.0.1", port);
        HttpLoad.Scenario heartbeat = new HttpLoad.Scenario(
                "heartbeat",
                k -> HttpLoad.Scenario.http("POST", "/services/svc-" + k % RECORDS + "/heartbeat", null),
                200);
        heartbeats.atRate(heartbeat, 2, 3, HEARTBEAT_RATE); // warm-up, no readers yet

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong largestRss = new AtomicLong();
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < travellers + listers; i++) {
            boolean travels = i < travellers;
            readers.add(Thread.ofVirtual().start(() -> {
                for (long n = 0; running.get(); n++) {
                    String path = !travels
                            ? "/services"
                            : n % 2 == 0
                                    ? "/diff?from=" + start + "&to=" + Instant.now()
                                    : "/services?at=" + Instant.now();
                    try {
                        int status = client.send(
                                        HttpRequest.newBuilder(URI.create(base + path))
                                                .timeout(Duration.ofSeconds(120))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                        (status == 200 ? ok : status == 503 ? refused : failed).incrementAndGet();
                    } catch (IOException ex) {
                        if (running.get()) {
                            failed.incrementAndGet();
                        }
                    } catch (InterruptedException ex) {
                        return;
                    }
                }
            }));
        }
        Thread rss = Thread.ofPlatform().daemon().start(() -> {
            while (running.get()) {
                largestRss.accumulateAndGet(rssBytes(pid), Math::max);
                try {
                    Thread.sleep(200); // a sampling period, not a wait for anything
                } catch (InterruptedException ex) {
                    return;
                }
            }
        });
        Beats beats = heartbeats(base, seconds);
        running.set(false);
        client.shutdownNow();
        for (Thread t : readers) {
            t.join(Duration.ofSeconds(30));
        }
        rss.interrupt();
        System.out.printf(
                Locale.ROOT,
                "| %s | %,d (%d unanswered 30 s after the run, %d failed) | %.1f | %.1f | %.1f | %,d / %,d / %,d | %,d MiB |%n",
                label,
                beats.sent(),
                beats.unanswered(),
                beats.failed(),
                beats.latencyMicros().getValueAtPercentile(50) / 1000.0,
                beats.latencyMicros().getValueAtPercentile(99) / 1000.0,
                beats.latencyMicros().getMaxValue() / 1000.0,
                ok.get(),
                refused.get(),
                failed.get(),
                largestRss.get() >> 20);
    }

    /**
     * What the heartbeats measured: each one's latency from its scheduled time; one still
     * unanswered 30 s after the run counts with the time it had waited by then (at least).
     */
    private record Beats(long sent, long unanswered, long failed, Histogram latencyMicros) {}

    /**
     * {@link #HEARTBEAT_RATE} heartbeats a second on a fixed schedule over 4 connections, for
     * {@code seconds}: a heartbeat that cannot go out on time because the ones before it are stuck
     * still counts from its scheduled time (no coordinated omission).
     */
    private static Beats heartbeats(String base, double seconds) throws InterruptedException {
        Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
        long total = (long) (seconds * HEARTBEAT_RATE);
        long start = System.nanoTime();
        long intervalNanos = (long) (1e9 / HEARTBEAT_RATE);
        AtomicLong next = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Set<Long> answered = ConcurrentHashMap.newKeySet();
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            senders.add(Thread.ofVirtual().start(() -> {
                for (long k = next.getAndIncrement(); k < total; k = next.getAndIncrement()) {
                    long intended = start + k * intervalNanos;
                    long wait = intended - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    try {
                        int status = client.send(
                                        HttpRequest.newBuilder(URI.create(
                                                        base + "/services/svc-" + k % RECORDS + "/heartbeat"))
                                                .POST(HttpRequest.BodyPublishers.noBody())
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                        if (status != 200) {
                            failed.incrementAndGet();
                        }
                    } catch (IOException ex) {
                        failed.incrementAndGet();
                    } catch (InterruptedException ex) {
                        return;
                    }
                    record(latency, System.nanoTime() - intended);
                    answered.add(k);
                }
            }));
        }
        long deadline = start + (long) (seconds * 1e9) + TimeUnit.SECONDS.toNanos(30);
        for (Thread t : senders) {
            t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
        long now = System.nanoTime();
        long unanswered = 0;
        for (long k = 0; k < total; k++) {
            if (!answered.contains(k)) {
                unanswered++;
                record(latency, now - (start + k * intervalNanos));
            }
        }
        client.shutdownNow();
        return new Beats(total, unanswered, failed.get(), latency);
    }

    private static void record(Histogram h, long nanos) {
        synchronized (h) {
            h.recordValue(Math.min(h.getHighestTrackableValue(), Math.max(0, nanos / 1000)));
        }
    }

    /** {@link #RECORDS} registrations over a few connections. */
    private static void load(String base) throws InterruptedException {
        AtomicLong next = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            threads.add(Thread.ofVirtual().start(() -> {
                HttpClient client = HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build();
                for (long k = next.getAndIncrement(); k < RECORDS; k = next.getAndIncrement()) {
                    try {
                        client.send(
                                HttpRequest.newBuilder(URI.create(base + "/services"))
                                        .POST(HttpRequest.BodyPublishers.ofString(BenchMain.registration((int) k)))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                    } catch (IOException | InterruptedException ex) {
                        throw new IllegalStateException("registering svc-" + k, ex);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException gone) {
            // the process ended: nothing more to sample
        }
        return 0;
    }
}
