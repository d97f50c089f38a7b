package dev.registry.kafka.bench;

import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.ServiceEvent;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.kafka.KafkaEventLog;
import dev.registry.kafka.KafkaLogSettings;
import dev.registry.kafka.testkit.KafkaTestCluster;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Not a test: how fast {@link KafkaEventLog} appends, and how soon another node's reader sees an append,
 * on in-process KRaft clusters of one and of three brokers (replication factor 3, min.insync.replicas 2
 * on three), or on a running cluster ({@code --bootstrap}). Events are heartbeats (about 40 bytes a
 * record value). Run it with the command in the README (profile {@code kafka-bench}).
 *
 * <p>Throughput: appendAsync as fast as the producer takes them, timed to the last acknowledgement.
 * Latency: appends on a fixed schedule (open loop, {@code --rate} a second), each measured from its
 * scheduled time to its acknowledgement and to its arrival at a reader of a second log (another "node").
 */
public final class KafkaLogBenchmark {

    private static final Instant TIME = Instant.parse("2026-05-01T00:00:00Z");

    private final int records;
    private final int rate;
    private final int seconds;

    private KafkaLogBenchmark(int records, int rate, int seconds) {
        this.records = records;
        this.rate = rate;
        this.seconds = seconds;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> brokers = List.of(1, 3);
        String bootstrap = null;
        int records = 300_000;
        int rate = 5_000;
        int seconds = 10;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--brokers" ->
                    brokers = List.of(value.split(",")).stream()
                            .map(Integer::parseInt)
                            .toList();
                case "--bootstrap" -> bootstrap = value;
                case "--records" -> records = Integer.parseInt(value);
                case "--rate" -> rate = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                default ->
                    throw new IllegalArgumentException("unknown option " + args[i]
                            + " (--brokers 1,3 --bootstrap HOST:PORT --records N --rate PER_SECOND --seconds S)");
            }
        }
        KafkaLogBenchmark benchmark = new KafkaLogBenchmark(records, rate, seconds);
        System.out.printf(
                "| cluster | async appends/s (3 rounds) | latency at %,d/s: acknowledged p50 / p99 | visible to another node's reader p50 / p99 |%n",
                rate);
        System.out.println("|---|---|---|---|");
        if (bootstrap != null) {
            benchmark.run(bootstrap, bootstrap, "bench-" + System.currentTimeMillis());
            return;
        }
        for (int count : brokers) {
            try (KafkaTestCluster cluster = KafkaTestCluster.start(count)) {
                benchmark.run(
                        cluster.bootstrapServers(),
                        count + " broker" + (count == 1 ? "" : "s") + " (in-process)",
                        cluster.newTopic());
            }
        }
    }

    private void run(String bootstrap, String label, String topic) throws Exception {
        KafkaLogSettings settings =
                KafkaLogSettings.of(bootstrap, "bench-writer").withTopic(topic);
        try (KafkaEventLog writer = KafkaEventLog.open(settings);
                KafkaEventLog other = KafkaEventLog.open(settings.withNodeId("bench-reader"))) {
            throughput(writer, records, 0); // warm-up: the JIT, the producer's buffers, the topic's first segment
            List<String> rounds = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                rounds.add(String.format(Locale.ROOT, "%,.0f", throughput(writer, records, 1_000_000 * (round + 1))));
            }
            Histogram acknowledged = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            Histogram visible = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            latency(writer, other, acknowledged, visible);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %s | %.2f / %.2f ms | %.2f / %.2f ms |%n",
                    label,
                    String.join(", ", rounds),
                    millis(acknowledged, 50),
                    millis(acknowledged, 99),
                    millis(visible, 50),
                    millis(visible, 99));
        }
    }

    /** Appends {@code count} heartbeats as fast as the producer takes them; events per second to the last ack. */
    private static double throughput(KafkaEventLog log, int count, int firstName) {
        long start = System.nanoTime();
        CompletableFuture<Long> last = null;
        for (int i = 0; i < count; i++) {
            last = log.appendAsync(beat(firstName + i));
        }
        last.join(); // futures complete in log order: the last one completes last
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private void latency(KafkaEventLog writer, KafkaEventLog other, Histogram acknowledged, Histogram visible)
            throws InterruptedException {
        int total = rate * seconds;
        long[] scheduled = new long[total];
        AtomicBoolean done = new AtomicBoolean();
        long skipFirst = writer.lastIndex(); // what the throughput rounds wrote
        Thread reader = Thread.ofPlatform().name("bench-reader").start(() -> {
            try (EventReader events = other.reader()) {
                events.seekAfter(skipFirst);
                int seen = 0;
                while (seen < total && !done.get()) {
                    LoggedEvent event = events.next();
                    if (event != null) {
                        long now = System.nanoTime();
                        int i = Integer.parseInt(
                                ((ServiceEvent) event.event()).name().substring(4));
                        visible.recordValue(Math.max(0, now - scheduled[i]));
                        seen++;
                    }
                }
            }
        });
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        List<CompletableFuture<Long>> acks = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            long at = start + i * interval;
            scheduled[i] = at;
            long wait;
            while ((wait = at - System.nanoTime()) > 0) {
                LockSupport.parkNanos(Math.min(wait, 50_000));
            }
            acks.add(writer.appendAsync(beat(i))
                    .whenComplete((offset, failure) -> acknowledged.recordValue(Math.max(0, System.nanoTime() - at))));
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        reader.join(TimeUnit.SECONDS.toMillis(60));
        done.set(true);
        reader.join();
    }

    private static HeartbeatReceived beat(int i) {
        return new HeartbeatReceived(TIME, "svc-" + i, null, HeartbeatReceived.CAUSE_CLIENT);
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }
}
