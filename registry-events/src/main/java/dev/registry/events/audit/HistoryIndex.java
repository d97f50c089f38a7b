package dev.registry.events.audit;

import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.ServiceEvent;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projection;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Where each service's history lies in the log: the positions of its events other than
 * heartbeats, and how many heartbeats came between them. Heartbeats dominate a log, so they are
 * counted rather than indexed; that keeps this at a few bytes per lifecycle event, and names that
 * were evicted or deregistered long ago keep their history.
 *
 * <p>Applied by one thread, read by any.
 */
public final class HistoryIndex implements Projection {

    private final Map<String, Timeline> timelines = new ConcurrentHashMap<>();

    @Override
    public void apply(LoggedEvent logged) {
        if (!(logged.event() instanceof ServiceEvent event)) {
            return;
        }
        boolean heartbeat = event instanceof HeartbeatReceived;
        while (true) {
            Timeline timeline = timelines.computeIfAbsent(event.name(), n -> new Timeline());
            if (heartbeat ? timeline.heartbeat(logged.index()) : timeline.entry(logged.index())) {
                return;
            }
            timelines.remove(event.name(), timeline); // forgotten just now: start the name afresh
        }
    }

    /**
     * Forgets positions before {@code firstKept}, once retention deleted those events: entries go,
     * and so do whole timelines of names with no event left, unless {@code keep} says the name is
     * still registered. Without this, every name ever seen would stay in memory for good.
     */
    public void forgetBefore(long firstKept, Predicate<String> keep) {
        timelines.forEach((name, timeline) -> {
            if (timeline.trimBefore(firstKept, keep.test(name))) {
                timelines.remove(name, timeline);
            }
        });
    }

    /** The timeline of {@code name}, if the log has ever mentioned it. */
    public Optional<Snapshot> timeline(String name) {
        Timeline t = timelines.get(name);
        return t == null ? Optional.empty() : Optional.of(t.snapshot());
    }

    /** Every name's timeline, for a snapshot. */
    public Map<String, Snapshot> timelines() {
        Map<String, Snapshot> copy = new java.util.HashMap<>();
        timelines.forEach((name, t) -> copy.put(name, t.snapshot()));
        return copy;
    }

    /** An index holding {@code timelines} (loading a snapshot). */
    public static HistoryIndex restore(Map<String, Snapshot> timelines) {
        HistoryIndex index = new HistoryIndex();
        timelines.forEach((name, s) -> index.timelines.put(name, Timeline.of(s)));
        return index;
    }

    /**
     * A consistent copy of one service's timeline.
     *
     * @param entries            positions of the non-heartbeat events, oldest first
     * @param heartbeatsBefore   for each entry, the heartbeats since the entry before it
     * @param heartbeatsAfterLast heartbeats since the last entry
     * @param firstIndex         position of the service's first event of any kind
     * @param lastIndex          position of its newest event of any kind ({@code Long.MAX_VALUE}: unknown)
     */
    public record Snapshot(
            long[] entries, int[] heartbeatsBefore, int heartbeatsAfterLast, long firstIndex, long lastIndex) {}

    private static final class Timeline {
        private long[] entries = new long[4];
        private int[] heartbeatsBefore = new int[4];
        private int size;
        private int heartbeatsSinceLast;
        private long firstIndex = -1;
        private long lastIndex = -1;
        private boolean forgotten;

        static Timeline of(Snapshot s) {
            Timeline t = new Timeline();
            t.entries = s.entries().length == 0 ? new long[4] : s.entries().clone();
            t.heartbeatsBefore = s.heartbeatsBefore().length == 0
                    ? new int[4]
                    : s.heartbeatsBefore().clone();
            t.size = s.entries().length;
            t.heartbeatsSinceLast = s.heartbeatsAfterLast();
            t.firstIndex = s.firstIndex();
            t.lastIndex = s.lastIndex();
            return t;
        }

        /**
         * Drops entries before {@code firstKept}; with no event of the name left and {@code keep}
         * false, marks the whole timeline forgotten, so that no event is recorded in it any more.
         *
         * @return whether it was forgotten
         */
        synchronized boolean trimBefore(long firstKept, boolean keep) {
            int drop = 0;
            while (drop < size && entries[drop] < firstKept) {
                drop++;
            }
            if (drop > 0) {
                System.arraycopy(entries, drop, entries, 0, size - drop);
                System.arraycopy(heartbeatsBefore, drop, heartbeatsBefore, 0, size - drop);
                size -= drop;
            }
            firstIndex = Math.max(firstIndex, firstKept);
            forgotten = lastIndex < firstKept && !keep;
            return forgotten;
        }

        /** @return false when the timeline was forgotten, and the event not recorded */
        synchronized boolean entry(long index) {
            if (forgotten) {
                return false;
            }
            if (size == entries.length) {
                entries = Arrays.copyOf(entries, size * 2);
                heartbeatsBefore = Arrays.copyOf(heartbeatsBefore, size * 2);
            }
            entries[size] = index;
            heartbeatsBefore[size] = heartbeatsSinceLast;
            size++;
            heartbeatsSinceLast = 0;
            seen(index);
            return true;
        }

        /** @return false when the timeline was forgotten, and the event not recorded */
        synchronized boolean heartbeat(long index) {
            if (forgotten) {
                return false;
            }
            heartbeatsSinceLast++;
            seen(index);
            return true;
        }

        private void seen(long index) {
            if (firstIndex < 0) {
                firstIndex = index;
            }
            lastIndex = index;
        }

        synchronized Snapshot snapshot() {
            return new Snapshot(
                    Arrays.copyOf(entries, size),
                    Arrays.copyOf(heartbeatsBefore, size),
                    heartbeatsSinceLast,
                    firstIndex,
                    lastIndex);
        }
    }
}
