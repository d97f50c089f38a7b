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
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

    /** What {@link #note} says of a record with nothing to look at (no due time). */
    private static final long UNSCHEDULED = Long.MIN_VALUE;

    private final HealthRules rules;
    private final RegistryView view;
    /**
     * The schedule: a binary min-heap of (due time in epoch millis, rounded up; name), in two
     * parallel arrays. A million records each due at its own millisecond took a million nodes of a
     * skip list, their boxed keys and lists (a sixth of a start from a snapshot); here they take
     * 16 bytes each, and a start from a snapshot builds the heap in one pass. Entries a later
     * {@link #schedule} or a {@link #forget} made stale stay until they come up, and are skipped.
     */
    private long[] heapTimes = new long[64];

    private String[] heapNames = new String[64];
    private int heapSize;
    /** The heap's top, for any thread: when a sweep may next find something due. */
    private volatile long earliestMillis = Long.MAX_VALUE;

    /** The one time each name is currently scheduled at; an entry of the heap at another is stale. */
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
            long at = note(r.name(), rules.nextCheck(r, isExpired, view.evictionGraceUntil()));
            if (at != UNSCHEDULED) {
                append(at, r.name()); // in no order yet: ordered once, below
            }
        }
        heapify();
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
        long last = Long.MIN_VALUE;
        while (heapSize > 0 && heapTimes[0] <= nowMillis && (due.size() < limit || heapTimes[0] == last)) {
            last = heapTimes[0];
            String name = heapNames[0];
            removeTop();
            Long current = scheduled.get(name);
            if (current != null && current == last) {
                scheduled.remove(name);
                due.add(name);
            }
        }
        publishEarliest();
        return due;
    }

    /** {@code name} is due and its events are on their way: due again at once until they are applied. */
    void awaitEvents(String name) {
        pending.add(name);
    }

    /** Looks at {@code name} again at {@code time} (rounded up to the millisecond: never early). */
    void schedule(String name, Instant time) {
        long at = note(name, time);
        if (at == UNSCHEDULED) {
            return;
        }
        if (heapSize >= 1024 && heapSize > 2 * scheduled.size()) {
            rebuild(); // mostly stale entries: keep the heap the size of the schedule
        } else {
            append(at, name);
            siftUp(heapSize - 1);
        }
        publishEarliest();
    }

    /**
     * Notes {@code name}'s time in the schedule, rounded up to the millisecond (never early), and
     * returns it; {@link #UNSCHEDULED} when {@code time} is {@code Instant.MAX} (nothing to look at).
     */
    private long note(String name, Instant time) {
        if (time.equals(Instant.MAX)) {
            scheduled.remove(name);
            return UNSCHEDULED;
        }
        long at = ceilMillis(time);
        scheduled.put(name, at);
        return at;
    }

    /** The earliest time a sweep may find something due; {@code Instant.MAX} when no record is scheduled. */
    public Instant earliest() {
        if (!pending.isEmpty()) {
            return Instant.MIN;
        }
        long first = earliestMillis;
        return first == Long.MAX_VALUE ? Instant.MAX : Instant.ofEpochMilli(first);
    }

    private void publishEarliest() {
        earliestMillis = heapSize == 0 ? Long.MAX_VALUE : heapTimes[0];
    }

    /** The heap again from the schedule alone, without its stale entries. */
    private void rebuild() {
        heapSize = 0;
        scheduled.forEach((name, at) -> append(at, name));
        heapify();
    }

    private void append(long at, String name) {
        if (heapSize == heapTimes.length) {
            heapTimes = Arrays.copyOf(heapTimes, heapSize * 2);
            heapNames = Arrays.copyOf(heapNames, heapSize * 2);
        }
        heapTimes[heapSize] = at;
        heapNames[heapSize] = name;
        heapSize++;
    }

    private void heapify() {
        for (int i = heapSize / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
        publishEarliest();
    }

    private void removeTop() {
        heapSize--;
        heapTimes[0] = heapTimes[heapSize];
        heapNames[0] = heapNames[heapSize];
        heapNames[heapSize] = null;
        if (heapSize > 0) {
            siftDown(0);
        }
    }

    private void siftUp(int i) {
        long t = heapTimes[i];
        String n = heapNames[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heapTimes[parent] <= t) {
                break;
            }
            heapTimes[i] = heapTimes[parent];
            heapNames[i] = heapNames[parent];
            i = parent;
        }
        heapTimes[i] = t;
        heapNames[i] = n;
    }

    private void siftDown(int i) {
        long t = heapTimes[i];
        String n = heapNames[i];
        int half = heapSize >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < heapSize && heapTimes[child + 1] < heapTimes[child]) {
                child++;
            }
            if (heapTimes[child] >= t) {
                break;
            }
            heapTimes[i] = heapTimes[child];
            heapNames[i] = heapNames[child];
            i = child;
        }
        heapTimes[i] = t;
        heapNames[i] = n;
    }

    /** How many entries the index holds, stale ones included (for tests). */
    int entries() {
        return heapSize;
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
