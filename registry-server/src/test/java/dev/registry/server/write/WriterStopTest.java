package dev.registry.server.write;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.registry.events.event.RegistryEvent;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.rules.Command;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stop never lets the log be closed under an append: it finishes the queued writes if it can,
 * refuses the rest when its time runs out, and says whether the writer has ended.
 */
class WriterStopTest {

    /** A log whose appends each wait for a permit, so a test holds the writer inside one. */
    private static final class GatedLog extends WriteOnlyLog {
        final Semaphore gate = new Semaphore(0);
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();

        @Override
        public long append(RegistryEvent event) {
            long index = started.getAndIncrement();
            gate.acquireUninterruptibly();
            done.incrementAndGet();
            return index;
        }

        @Override
        public long lastIndex() {
            return started.get() - 1;
        }
    }

    /** With {@code none} the callers take the writer's turns, with {@code batch} a thread of its own. */
    private static RegistryWriter writerOn(GatedLog log, SyncPolicy sync) {
        RegistryView view = new RegistryView();
        return new RegistryWriter(
                log, view, Projection.onView(view, List.of()), Clock.systemUTC(), Instant.EPOCH, sync);
    }

    /** {@code n} registrations from threads of their own; each future ends with the write's result or its failure. */
    private static List<CompletableFuture<String>> register(RegistryWriter writer, int n) {
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            CompletableFuture<String> outcome = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    writer.execute(new Command.Register(
                            "svc-" + k, "h", 1, "h", "u", "running", null, null, Integer.MAX_VALUE));
                    outcome.complete("acknowledged");
                } catch (WriteFailedException refused) {
                    outcome.complete(refused.getMessage());
                }
            });
            outcomes.add(outcome);
        }
        return outcomes;
    }

    @ParameterizedTest
    @EnumSource(names = {"NONE", "BATCH"})
    void aStopThatRunsOutOfTimeRefusesWhatIsQueuedAndSaysTheWriterIsStillAppending(SyncPolicy sync) throws Exception {
        GatedLog log = new GatedLog();
        RegistryWriter writer = writerOn(log, sync);
        List<CompletableFuture<String>> outcomes = register(writer, 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> log.started.get() == 1);
        outcomes.addAll(register(writer, 19));
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.queueDepth() == 19);

        assertThat(
                "the writer is inside an append: the log must stay open",
                writer.stop(Duration.ofMillis(100)),
                is(false));

        log.gate.release(100);
        assertThat(writer.stop(Duration.ofSeconds(10)), is(true));
        assertThat("only the append under way was made", log.started.get(), is(1));
        assertThat(log.done.get(), is(1));
        int acknowledged = 0;
        for (CompletableFuture<String> outcome : outcomes) {
            String result = outcome.get(10, TimeUnit.SECONDS);
            if (result.equals("acknowledged")) {
                acknowledged++;
            } else {
                assertThat(result, is("the registry stopped before this write"));
            }
        }
        assertThat("the write that was appended, and only it", acknowledged, is(1));
    }

    @ParameterizedTest
    @EnumSource(names = {"NONE", "BATCH"})
    void aStopWithTimeEnoughFinishesEveryQueuedWrite(SyncPolicy sync) throws Exception {
        GatedLog log = new GatedLog();
        RegistryWriter writer = writerOn(log, sync);
        List<CompletableFuture<String>> outcomes = register(writer, 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> log.started.get() + writer.queueDepth() >= 1);
        log.gate.release(100);

        assertThat(writer.stop(Duration.ofSeconds(10)), is(true));
        for (CompletableFuture<String> outcome : outcomes) {
            assertThat(outcome.get(10, TimeUnit.SECONDS), is("acknowledged"));
        }
        assertThat(log.done.get(), is(20));
    }
}
