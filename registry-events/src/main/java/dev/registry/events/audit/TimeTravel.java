package dev.registry.events.audit;

import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceEvent;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The registry as it was at any time or log index, and what changed between two times: the
 * nearest {@link Checkpoints checkpoint} before the moment, plus a replay of the log from there.
 * Without checkpoints (the offline tools) it replays from the start.
 */
public final class TimeTravel {

    private final EventLog log;
    private final Checkpoints checkpoints;

    /**
     * @param checkpoints copies of the view to start from, or {@code null} to replay from the start
     */
    public TimeTravel(EventLog log, Checkpoints checkpoints) {
        this.log = log;
        this.checkpoints = checkpoints;
    }

    /**
     * The earliest time answerable: the time of the oldest event in the log, or, once retention
     * deleted the oldest files, of the newest deleted event (whose state the floor holds);
     * {@code null} when the log is empty.
     */
    public Instant availableFrom() {
        Optional<Checkpoints.Checkpoint> floor = checkpoints == null ? Optional.empty() : checkpoints.floor();
        if (floor.isPresent()) {
            return floor.get().time();
        }
        try (EventReader reader = log.reader()) {
            LoggedEvent first = reader.next();
            return first == null ? null : first.event().time();
        }
    }

    /** The view after every event appended at or before {@code time}. */
    public RegistryView atTime(Instant time) {
        requireAvailable(time, "time " + time);
        try (EventReader reader = log.reader()) {
            return replay(
                            reader,
                            checkpoints == null ? Optional.empty() : checkpoints.atOrBefore(time),
                            e -> e.event().time().isAfter(time))
                    .view;
        }
    }

    /** The view after the event at {@code index} and every event before it. */
    public RegistryView atIndex(long index) {
        Optional<Checkpoints.Checkpoint> floor = checkpoints == null ? Optional.empty() : checkpoints.floor();
        long first = floor.map(Checkpoints.Checkpoint::index).orElseGet(log::firstIndex);
        if (first < 0 || index < first) {
            throw new HistoryUnavailableException("index " + index, availableFrom());
        }
        try (EventReader reader = log.reader()) {
            return replay(
                            reader,
                            checkpoints == null ? Optional.empty() : checkpoints.atOrBeforeIndex(index),
                            e -> e.index() > index)
                    .view;
        }
    }

    /** What changed from {@code from} to {@code to} ({@code from} not after {@code to}). */
    public RegistryDiff diff(Instant from, Instant to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("'to' is before 'from'");
        }
        requireAvailable(from, "time " + from);
        try (EventReader reader = log.reader()) {
            Replayed start = replay(
                    reader,
                    checkpoints == null ? Optional.empty() : checkpoints.atOrBefore(from),
                    e -> e.event().time().isAfter(from));
            RegistryView end = start.view.copy();
            List<RegistryDiff.HealthFlip> flips = new ArrayList<>();
            for (LoggedEvent e = start.next; e != null && !e.event().time().isAfter(to); e = reader.next()) {
                flipOf(end, e).ifPresent(flips::add);
                apply(end, e);
            }
            return new RegistryDiff(from, to, start.view, end, flips);
        }
    }

    /**
     * @throws HistoryUnavailableException when {@code time} is before {@link #availableFrom()}
     *         (or the log is empty); {@code what} names it in the message
     */
    public void requireAvailable(Instant time, String what) {
        Instant first = availableFrom();
        if (first == null || time.isBefore(first)) {
            throw new HistoryUnavailableException(what, first);
        }
    }

    /** The view replayed up to (not including) the first event that {@code beyond} accepts. */
    private Replayed replay(EventReader reader, Optional<Checkpoints.Checkpoint> from, Predicate<LoggedEvent> beyond) {
        RegistryView view = from.map(c -> c.view().copy()).orElseGet(RegistryView::compact);
        // +1: the floor's own event may be deleted already; the log holds everything after it
        from.ifPresent(c -> reader.seekAtOrAfter(c.index() + 1));
        for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
            if (beyond.test(e)) {
                return new Replayed(view, e);
            }
            apply(view, e);
        }
        return new Replayed(view, null);
    }

    /**
     * Applies {@code logged} to a replayed view, then lets the changed record be made of the live
     * view's parts where they are equal: a replay of many registrations would otherwise hold a
     * second copy of every string and metadata tree until it is answered, and the collector
     * copies all of it while every request waits.
     */
    private void apply(RegistryView view, LoggedEvent logged) {
        Projector.apply(view, logged);
        if (checkpoints != null && logged.event() instanceof ServiceEvent e) {
            view.shareWith(e.name(), checkpoints.live());
        }
    }

    private record Replayed(RegistryView view, LoggedEvent next) {}

    /** The health change {@code e} makes to {@code view}, if any (call before applying it). */
    private static Optional<RegistryDiff.HealthFlip> flipOf(RegistryView view, LoggedEvent logged) {
        RegistryEvent event = logged.event();
        return switch (event) {
            case HealthChecked e ->
                Optional.of(new RegistryDiff.HealthFlip(
                        logged.index(),
                        e.time(),
                        e.name(),
                        "health-checked",
                        e.oldStatus(),
                        e.newStatus(),
                        e.detail()));
            case ServiceExpired e ->
                view.get(e.name())
                        .filter(r -> ServiceRecord.STATUS_RUNNING.equals(r.status()))
                        .map(r -> new RegistryDiff.HealthFlip(
                                logged.index(),
                                e.time(),
                                e.name(),
                                "expired",
                                "healthy",
                                "unhealthy",
                                "heartbeat older than the TTL"));
            case HeartbeatReceived e -> recovery(view, logged, e.name(), e.status());
            case ServiceUpdated e ->
                recovery(view, logged, e.name(), e.changes().status());
            default -> Optional.empty();
        };
    }

    private static Optional<RegistryDiff.HealthFlip> recovery(
            RegistryView view, LoggedEvent logged, String name, String newStatus) {
        if (!view.isExpired(name)) {
            return Optional.empty();
        }
        return view.get(name)
                .filter(r -> ServiceRecord.STATUS_RUNNING.equals(newStatus != null ? newStatus : r.status()))
                .map(r -> new RegistryDiff.HealthFlip(
                        logged.index(),
                        logged.event().time(),
                        name,
                        logged.event() instanceof HeartbeatReceived ? "heartbeat" : "updated",
                        "unhealthy",
                        "healthy",
                        "heartbeat after expiry"));
    }
}
