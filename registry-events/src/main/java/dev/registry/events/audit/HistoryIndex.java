package dev.registry.events.audit;

import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.ServiceEvent;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projection;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
        Timeline timeline = timelines.computeIfAbsent(event.name(), n -> new Timeline());
        if (event instanceof HeartbeatReceived) {
            timeline.heartbeat(logged.index());
        } else {
            timeline.entry(logged.index());
        }
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
     */
    public record Snapshot(long[] entries, int[] heartbeatsBefore, int heartbeatsAfterLast, long firstIndex) {
    }

    private static final class Timeline {
        private long[] entries = new long[4];
        private int[] heartbeatsBefore = new int[4];
        private int size;
        private int heartbeatsSinceLast;
        private long firstIndex = -1;

        static Timeline of(Snapshot s) {
            Timeline t = new Timeline();
            t.entries = s.entries().length == 0 ? new long[4] : s.entries().clone();
            t.heartbeatsBefore = s.heartbeatsBefore().length == 0 ? new int[4] : s.heartbeatsBefore().clone();
            t.size = s.entries().length;
            t.heartbeatsSinceLast = s.heartbeatsAfterLast();
            t.firstIndex = s.firstIndex();
            return t;
        }

        synchronized void entry(long index) {
            if (size == entries.length) {
                entries = Arrays.copyOf(entries, size * 2);
                heartbeatsBefore = Arrays.copyOf(heartbeatsBefore, size * 2);
            }
            entries[size] = index;
            heartbeatsBefore[size] = heartbeatsSinceLast;
            size++;
            heartbeatsSinceLast = 0;
            if (firstIndex < 0) {
                firstIndex = index;
            }
        }

        synchronized void heartbeat(long index) {
            heartbeatsSinceLast++;
            if (firstIndex < 0) {
                firstIndex = index;
            }
        }

        synchronized Snapshot snapshot() {
            return new Snapshot(Arrays.copyOf(entries, size), Arrays.copyOf(heartbeatsBefore, size),
                    heartbeatsSinceLast, firstIndex);
        }
    }
}
