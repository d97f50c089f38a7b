package dev.registry.server.write;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.events.event.RegistryEvent;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.rules.Command;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The writer forces events to disk before acknowledging them, as the policy says. */
class SyncPolicyTest {

    /** A log that records appends and syncs, in order, with who had been acknowledged by then. */
    private static final class RecordingLog extends WriteOnlyLog {
        final List<String> trace = new CopyOnWriteArrayList<>();
        volatile int acknowledged;
        volatile boolean failSync;
        volatile Error failAppend;
        long next;

        @Override
        public long append(RegistryEvent event) {
            trace.add("append");
            if (failAppend != null) {
                throw failAppend;
            }
            return next++;
        }

        @Override
        public void sync() {
            trace.add("sync after " + acknowledged + " acks");
            if (failSync) {
                throw new IllegalStateException("disk gone");
            }
        }
    }

    private static List<CompletableFuture<WriteResult>> registerMany(RegistryWriter writer, RecordingLog log, int n) {
        List<CompletableFuture<WriteResult>> acks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            acks.add(CompletableFuture.supplyAsync(() -> {
                WriteResult r = writer.execute(
                        new Command.Register("svc-" + k, "h", 1, "h", "u", "running", null, null, Integer.MAX_VALUE));
                log.acknowledged++;
                return r;
            }));
        }
        return acks;
    }

    @Test
    void alwaysSyncsEveryWriteBeforeItsAcknowledgement() throws Exception {
        RecordingLog log = new RecordingLog();
        RegistryView view = new RegistryView();
        try (RegistryWriter writer = new RegistryWriter(
                log, view, Projection.onView(view, List.of()), Clock.systemUTC(), Instant.EPOCH, SyncPolicy.ALWAYS)) {
            for (var ack : registerMany(writer, log, 50)) {
                ack.get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(log.trace.stream().filter(t -> t.startsWith("sync")).count(), is(50L));
        for (int i = 0; i < log.trace.size(); i += 2) {
            assertThat(log.trace.get(i), is("append"));
            assertThat(log.trace.get(i + 1).startsWith("sync"), is(true));
        }
    }

    @Test
    void batchSyncsOncePerBatchBeforeAnyoneInItIsAcknowledged() throws Exception {
        RecordingLog log = new RecordingLog();
        RegistryView view = new RegistryView();
        try (RegistryWriter writer = new RegistryWriter(
                log, view, Projection.onView(view, List.of()), Clock.systemUTC(), Instant.EPOCH, SyncPolicy.BATCH)) {
            for (var ack : registerMany(writer, log, 500)) {
                ack.get(10, TimeUnit.SECONDS);
            }
        }
        long syncs = log.trace.stream().filter(t -> t.startsWith("sync")).count();
        assertThat(syncs, greaterThan(0L));
        assertThat(syncs, lessThanOrEqualTo(500L));
        // every append is followed by a sync before the next acknowledgement can happen
        assertThat(log.trace.getLast().startsWith("sync"), is(true));
    }

    @Test
    void noneNeverSyncsAndAFailedSyncAcknowledgesNobody() throws Exception {
        RecordingLog log = new RecordingLog();
        RegistryView view = new RegistryView();
        try (RegistryWriter writer = new RegistryWriter(
                log, view, Projection.onView(view, List.of()), Clock.systemUTC(), Instant.EPOCH, SyncPolicy.NONE)) {
            writer.execute(new Command.Register("a", "h", 1, "h", "u", "running", null, null, Integer.MAX_VALUE));
        }
        assertThat(log.trace, everyItem(is("append")));

        RecordingLog failing = new RecordingLog();
        failing.failSync = true;
        RegistryView other = new RegistryView();
        try (RegistryWriter writer = new RegistryWriter(
                failing,
                other,
                Projection.onView(other, List.of()),
                Clock.systemUTC(),
                Instant.EPOCH,
                SyncPolicy.BATCH)) {
            assertThrows(
                    WriteFailedException.class,
                    () -> writer.execute(
                            new Command.Register("a", "h", 1, "h", "u", "running", null, null, Integer.MAX_VALUE)));
        }
    }

    @Test
    void policiesParseAndRefuseNonsense() {
        assertThat(SyncPolicy.parse("Batch"), is(SyncPolicy.BATCH));
        assertThrows(IllegalArgumentException.class, () -> SyncPolicy.parse("sometimes"));
    }

    @Test
    @Timeout(30) // before the fix, the first write waited for ever
    void aWriterStoppedByAnErrorRefusesEveryWriteInsteadOfLeavingThemWaiting() {
        RecordingLog log = new RecordingLog();
        log.failAppend = new StackOverflowError("as if the append had blown the writer's stack");
        RegistryView view = new RegistryView();
        try (RegistryWriter writer = new RegistryWriter(
                log, view, Projection.onView(view, List.of()), Clock.systemUTC(), Instant.EPOCH, SyncPolicy.NONE)) {
            WriteFailedException first = assertThrows(
                    WriteFailedException.class,
                    () -> writer.execute(
                            new Command.Register("a", "h", 1, "h", "u", "running", null, null, Integer.MAX_VALUE)));
            assertThat(first.getMessage(), containsString("the writer stopped"));
            WriteFailedException later = assertThrows(
                    WriteFailedException.class,
                    () -> writer.execute(
                            new Command.Register("b", "h", 1, "h", "u", "running", null, null, Integer.MAX_VALUE)));
            assertThat(later.getMessage(), containsString("the writer stopped"));
        }
    }
}
