package dev.registry.server.write;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import dev.registry.api.ServiceRecord;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.rules.Command;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The writer has no thread of its own: its callers take turns writing. One caller's turn writes
 * what others queued meanwhile, appends never overlap, and the log never sees an interrupt.
 */
class WriterTurnTest {

    /** A log that notes who appended, whether two appends overlapped, and whether an appender was interrupted. */
    private static final class WatchingLog extends WriteOnlyLog {
        final Semaphore gate = new Semaphore(Integer.MAX_VALUE);
        final AtomicInteger started = new AtomicInteger();
        final AtomicBoolean inside = new AtomicBoolean();
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Thread> appenders = new ConcurrentLinkedQueue<>();
        final List<String> names = new ArrayList<>(); // only ever touched inside an append
        private long next;

        @Override
        public long append(RegistryEvent event) {
            if (!inside.compareAndSet(false, true)) {
                problems.add("two appends at once");
            }
            try {
                started.incrementAndGet();
                appenders.add(Thread.currentThread());
                if (Thread.currentThread().isInterrupted()) {
                    problems.add("an interrupted thread appended");
                }
                gate.acquireUninterruptibly();
                if (event instanceof ServiceRegistered r) {
                    names.add(r.record().name());
                }
                return next++;
            } finally {
                inside.set(false);
            }
        }

        @Override
        public long lastIndex() {
            return next - 1;
        }
    }

    private static RegistryWriter writerOn(WatchingLog log, RegistryView view) {
        return new RegistryWriter(
                log, view, Projection.onView(view, List.of()), Clock.systemUTC(), Instant.EPOCH, SyncPolicy.NONE);
    }

    private static Command.Register register(String name) {
        return new Command.Register(name, "h", 1, "h", "u", "running", null, null, Integer.MAX_VALUE);
    }

    @Test
    void commandsQueuedDuringAnotherCallersTurnAreWrittenByThatTurnInArrivalOrder() throws Exception {
        WatchingLog log = new WatchingLog();
        log.gate.drainPermits(); // the first append waits inside the log until the test lets it go
        RegistryView view = new RegistryView();
        RegistryWriter writer = writerOn(log, view);
        Thread first = Thread.ofVirtual().start(() -> writer.execute(register("first")));
        await().atMost(Duration.ofSeconds(10)).until(() -> log.started.get() == 1);

        List<CompletableFuture<WriteResult>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "queued-" + i;
            CompletableFuture<WriteResult> result = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> result.complete(writer.execute(register(name))));
            queued.add(result);
            int depth = i + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.queueDepth() == depth); // one after another
        }
        assertThat("nobody else appends while a turn is held", log.started.get(), is(1));

        log.gate.release(Integer.MAX_VALUE);
        first.join();
        for (CompletableFuture<WriteResult> result : queued) {
            assertThat(
                    result.get(10, TimeUnit.SECONDS)
                            .recordAfter()
                            .map(ServiceRecord::name)
                            .isPresent(),
                    is(true));
        }
        assertThat(log.names, contains("first", "queued-0", "queued-1", "queued-2", "queued-3", "queued-4"));
        assertThat(
                "the first caller's turn wrote what was queued behind it",
                log.appenders.stream().distinct().toList(),
                contains(first));
        assertThat(writer.queueDepth(), is(0));
        assertThat(writer.stop(), is(true));
    }

    @Test
    void manyCallersAtOnceNeverOverlapAndEveryWriteIsAcknowledgedAndApplied() throws Exception {
        WatchingLog log = new WatchingLog();
        RegistryView view = new RegistryView();
        RegistryWriter writer = writerOn(log, view);
        List<Thread> callers = new ArrayList<>();
        AtomicInteger acknowledged = new AtomicInteger();
        for (int t = 0; t < 64; t++) {
            int caller = t;
            Runnable writes = () -> {
                for (int i = 0; i < 200; i++) {
                    writer.execute(register("svc-" + caller + "-" + i));
                    writer.execute(new Command.Heartbeat("svc-" + caller + "-" + i, null, null));
                    acknowledged.incrementAndGet();
                }
            };
            // request threads are virtual, the health scheduler's is not: both take turns
            callers.add(
                    caller % 8 == 0
                            ? Thread.ofPlatform().start(writes)
                            : Thread.ofVirtual().start(writes));
        }
        for (Thread caller : callers) {
            caller.join();
        }
        assertThat(log.problems, empty());
        assertThat(acknowledged.get(), is(64 * 200));
        assertThat(view.size(), is(64 * 200));
        assertThat(log.started.get(), is(64 * 200 * 2));
        assertThat(writer.appendedCount(), is(64L * 200 * 2));
        assertThat(writer.stop(), is(true));
    }

    @Test
    void anInterruptedCallerWritesWithoutTheInterruptAndGetsItBack() {
        WatchingLog log = new WatchingLog();
        RegistryView view = new RegistryView();
        RegistryWriter writer = writerOn(log, view);
        Thread.currentThread().interrupt();
        try {
            writer.execute(register("a"));
            assertThat(
                    "the caller's interrupt is given back",
                    Thread.currentThread().isInterrupted(),
                    is(true));
        } finally {
            Thread.interrupted();
        }
        assertThat(log.problems, empty());
        assertThat(log.names, contains("a"));
        assertThat(writer.stop(), is(true));
    }

    @Test
    void aStoppedWriterRefusesAndNeverAppendsAgain() {
        WatchingLog log = new WatchingLog();
        RegistryView view = new RegistryView();
        RegistryWriter writer = writerOn(log, view);
        writer.execute(register("before"));
        assertThat(writer.stop(), is(true));
        assertThat(writer.stop(), is(true)); // a second stop (close after stop) has nothing left to do
        WriteFailedException refused = org.junit.jupiter.api.Assertions.assertThrows(
                WriteFailedException.class, () -> writer.execute(register("after")));
        assertThat(refused.getMessage(), is("the registry is shutting down"));
        assertThat(log.names, contains("before"));
    }
}
