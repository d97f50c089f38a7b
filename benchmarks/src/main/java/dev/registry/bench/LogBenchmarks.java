package dev.registry.bench;

import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.EncodedEvent;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.FileTree;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The log, the codec and the projector, one operation at a time (throughput, ops/s). */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LogBenchmarks {

    /** Events of each kind and a projector view of 1,000 records. */
    @State(Scope.Thread)
    public static class Events {
        final EventCodec codec = new EventCodec();
        final Instant t0 = Instant.parse("2026-11-28T00:00:00Z");
        RegistryEvent heartbeat;
        RegistryEvent registered;
        EncodedEvent encodedHeartbeat;
        EncodedEvent encodedRegistered;
        RegistryView view;
        long index;

        @Setup
        public void setUp() {
            heartbeat = new HeartbeatReceived(t0, "svc-7", null, HeartbeatReceived.CAUSE_CLIENT);
            registered = new ServiceRegistered(t0, SyntheticLog.record(7, t0), false);
            encodedHeartbeat = codec.encode(heartbeat);
            encodedRegistered = codec.encode(registered);
            view = new RegistryView();
            for (int i = 0; i < 1000; i++) {
                Projector.apply(view, new LoggedEvent(i, new ServiceRegistered(t0, SyntheticLog.record(i, t0), false)));
            }
            index = 1000;
        }
    }

    @Benchmark
    public EncodedEvent encodeHeartbeat(Events e) {
        return e.codec.encode(e.heartbeat);
    }

    @Benchmark
    public RegistryEvent decodeHeartbeat(Events e) {
        return e.codec.decode(e.encodedHeartbeat);
    }

    @Benchmark
    public EncodedEvent encodeRegistered(Events e) {
        return e.codec.encode(e.registered);
    }

    @Benchmark
    public RegistryEvent decodeRegistered(Events e) {
        return e.codec.decode(e.encodedRegistered);
    }

    @Benchmark
    public RegistryView projectorApplyHeartbeat(Events e) {
        Projector.apply(e.view, new LoggedEvent(++e.index, e.heartbeat));
        return e.view;
    }

    /** A fresh log per trial; appends heartbeats. */
    @State(Scope.Thread)
    public static class OpenLog {
        Path dir;
        ChronicleEventLog log;
        final RegistryEvent heartbeat =
                new HeartbeatReceived(Instant.parse("2026-11-28T00:00:00Z"), "svc-7", null, "client");

        @Setup(Level.Trial)
        public void open() throws IOException {
            dir = Files.createTempDirectory("bench-append");
            log = ChronicleEventLog.openForWriting(dir);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            log.close();
            FileTree.delete(dir);
        }
    }

    @Benchmark
    public long appendHeartbeat(OpenLog l) {
        return l.log.append(l.heartbeat);
    }

    /** A synthetic log of {@code events} events over 1,000 records. */
    @State(Scope.Benchmark)
    public static class WrittenLog {
        @Param({"1000000"})
        public long events;

        Path dir;
        ChronicleEventLog log;

        @Setup(Level.Trial)
        public void write() throws IOException {
            dir = Files.createTempDirectory("bench-replay");
            SyntheticLog.write(dir, events, 1000);
            log = ChronicleEventLog.openReadOnly(dir);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            log.close();
            FileTree.delete(dir);
        }
    }

    /** Reads and applies the whole log; the score is events per second. */
    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public RegistryView replay(WrittenLog l) {
        RegistryView view = new RegistryView();
        try (EventReader reader = l.log.reader()) {
            for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                Projector.apply(view, e);
            }
        }
        return view;
    }
}
