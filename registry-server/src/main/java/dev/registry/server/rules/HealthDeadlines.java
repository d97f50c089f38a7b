package dev.registry.server.rules;

import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * When each record next needs the {@link HealthRules}' attention, ordered by that time, as
 * etcd's lease queue orders leases by expiry: a sweep looks only at the records whose time has
 * come, not at every record.
 *
 * <p>A record's time is when it expires (its heartbeat plus the TTL) or, once expired, when it
 * may be evicted. Heartbeats, most of all events, only ever move a time later, so they leave the
 * index alone: a record found early is put back at its real time ("lazy" rescheduling), which
 * touches each live record about once per TTL instead of once per heartbeat. Only an expired
 * record's heartbeat moves its time earlier, and only that is rescheduled at once.
 *
 * <p>It only narrows which records a sweep looks at: what is due remains a function of the view
 * and the time. Kept by the writer's thread (as a {@link Projection}, and by sweeps); any thread
 * may ask {@link #earliest()}.
 */
public final class HealthDeadlines implements Projection {

    private final HealthRules rules;
    private final RegistryView view;
    /** Due time (epoch millis, rounded up) to the names that need a look then; stale entries are skipped. */
    private final ConcurrentSkipListMap<Long, List<String>> byTime = new ConcurrentSkipListMap<>();
    /** The one time each name is currently scheduled at; an entry of byTime elsewhere is stale. */
    private final Map<String, Long> scheduled = new HashMap<>();
    /** Expired names, scheduled at their eviction: the only ones a heartbeat moves earlier. */
    private final Set<String> expired = new HashSet<>();
    /** Names found due whose events are not applied yet (a refused append): due again at once. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    public HealthDeadlines(HealthRules rules, RegistryView view) {
        this.rules = rules;
        this.view = view;
    }

    /** Schedules every record of the view (a start from a snapshot: its records came without events). */
    public void scheduleAll() {
        for (ServiceRecord r : view.records()) {
            boolean isExpired = view.isExpired(r.name());
            if (isExpired) {
                expired.add(r.name());
            }
            schedule(r.name(), rules.nextCheck(r, isExpired, view.evictionGraceUntil()));
        }
    }

    @Override
    public void apply(LoggedEvent logged) {
        switch (logged.event()) {
            case ServiceRegistered e -> {
                expired.remove(e.record().name());
                schedule(e.record().name(), rules.nextCheck(e.record(), false, Instant.MIN));
            }
            case ServiceExpired e ->
                view.get(e.name()).ifPresent(r -> {
                    pending.remove(r.name());
                    expired.add(r.name());
                    schedule(r.name(), rules.nextCheck(r, true, view.evictionGraceUntil()));
                });
            case ServiceEvicted e -> forget(e.record().name());
            case ServiceDeregistered e -> forget(e.name());
            case HeartbeatReceived e -> revive(e.name());
            case ServiceUpdated e -> revive(e.name());
            default -> {
                // health checks and starts move no time earlier
            }
        }
    }

    /** A heartbeat after an expiry makes the record's next time its new expiry, sooner than its eviction. */
    private void revive(String name) {
        if (!expired.isEmpty() && expired.remove(name)) {
            view.get(name).ifPresent(r -> schedule(name, rules.nextCheck(r, false, Instant.MIN)));
        }
    }

    private void forget(String name) {
        scheduled.remove(name);
        expired.remove(name);
        pending.remove(name);
    }

    /**
     * Takes the names whose time has come at {@code now} out of the index, the earliest first,
     * and stops once it has {@code limit} (a millisecond's names are taken together); the rest
     * stay due. The caller puts back with {@link #schedule} what is not due yet.
     */
    Collection<String> takeDue(Instant now, int limit) {
        Set<String> due = new LinkedHashSet<>(pending);
        pending.clear();
        long nowMillis = now.toEpochMilli();
        for (Map.Entry<Long, List<String>> bucket = byTime.firstEntry();
                bucket != null && bucket.getKey() <= nowMillis && due.size() < limit;
                bucket = byTime.firstEntry()) {
            byTime.remove(bucket.getKey());
            for (String name : bucket.getValue()) {
                if (bucket.getKey().equals(scheduled.get(name))) {
                    scheduled.remove(name);
                    due.add(name);
                }
            }
        }
        return due;
    }

    /** {@code name} is due and its events are on their way: due again at once until they are applied. */
    void awaitEvents(String name) {
        pending.add(name);
    }

    /** Looks at {@code name} again at {@code time} (rounded up to the millisecond: never early). */
    void schedule(String name, Instant time) {
        if (time.equals(Instant.MAX)) {
            scheduled.remove(name);
            return;
        }
        long at = ceilMillis(time);
        scheduled.put(name, at);
        byTime.computeIfAbsent(at, t -> new ArrayList<>(1)).add(name);
    }

    /** The earliest time a sweep may find something due; {@code Instant.MAX} when no record is scheduled. */
    public Instant earliest() {
        if (!pending.isEmpty()) {
            return Instant.MIN;
        }
        Map.Entry<Long, List<String>> first = byTime.firstEntry();
        return first == null ? Instant.MAX : Instant.ofEpochMilli(first.getKey());
    }

    /** How many records are scheduled (for tests). */
    int size() {
        return scheduled.size();
    }

    private static long ceilMillis(Instant t) {
        long millis = t.toEpochMilli();
        return t.getNano() % 1_000_000 == 0 ? millis : millis + 1;
    }
}
