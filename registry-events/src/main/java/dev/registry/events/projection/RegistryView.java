package dev.registry.events.projection;

import dev.registry.api.ServiceRecord;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The current state of the registry: every live record, in registration order, and how far
 * into the log the state reaches.
 *
 * <p>Records keep the position of their first registration, as the registry this one replaces
 * did (re-registering a name keeps its place; deregistering and registering again moves it to
 * the end). Only the {@link Projector} changes a view, from one thread; any number of threads
 * read it concurrently. Records are immutable, so a reader sees each record whole.
 */
public final class RegistryView {

    private final Map<String, Long> orderByName = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, ServiceRecord> recordsInOrder = new ConcurrentSkipListMap<>();
    private final java.util.Set<String> expired = ConcurrentHashMap.newKeySet();
    private volatile long lastIndex = -1;
    private volatile Instant lastEventTime = Instant.MIN;
    private volatile Instant evictionGraceUntil = Instant.MIN;

    /** The record of that name, if registered. */
    public Optional<ServiceRecord> get(String name) {
        Long order = orderByName.get(name);
        return order == null ? Optional.empty() : Optional.ofNullable(recordsInOrder.get(order));
    }

    /** All records in registration order; a live view that reflects later changes. */
    public Collection<ServiceRecord> records() {
        return Collections.unmodifiableCollection(recordsInOrder.values());
    }

    public int size() {
        return orderByName.size();
    }

    /** Position of the last event applied, or -1 for an empty view. */
    public long lastIndex() {
        return lastIndex;
    }

    /** Time of the last event applied, or {@code Instant.MIN} for an empty view. */
    public Instant lastEventTime() {
        return lastEventTime;
    }

    /** Whether an {@code expired} event was recorded for this record since its last heartbeat. */
    public boolean isExpired(String name) {
        return expired.contains(name);
    }

    /** No record may be evicted before this time (set by the latest registry start). */
    public Instant evictionGraceUntil() {
        return evictionGraceUntil;
    }

    /** An independent copy of this view (records are immutable and shared). */
    public RegistryView copy() {
        RegistryView copy = new RegistryView();
        copy.orderByName.putAll(orderByName);
        copy.recordsInOrder.putAll(recordsInOrder);
        copy.expired.addAll(expired);
        copy.lastIndex = lastIndex;
        copy.lastEventTime = lastEventTime;
        copy.evictionGraceUntil = evictionGraceUntil;
        return copy;
    }

    /** A copy of the records by name, in registration order, for comparisons and tests. */
    public Map<String, ServiceRecord> snapshot() {
        Map<String, ServiceRecord> copy = new LinkedHashMap<>();
        recordsInOrder.values().forEach(r -> copy.put(r.name(), r));
        return copy;
    }

    /** Adds or replaces a record; a new name takes {@code order} as its place. */
    void register(ServiceRecord record, long order) {
        Long place = orderByName.computeIfAbsent(record.name(), n -> order);
        recordsInOrder.put(place, record);
    }

    /** Replaces an existing record in its place. */
    void replace(ServiceRecord record) {
        Long place = orderByName.get(record.name());
        if (place != null) {
            recordsInOrder.put(place, record);
        }
    }

    void remove(String name) {
        Long place = orderByName.remove(name);
        if (place != null) {
            recordsInOrder.remove(place);
        }
        expired.remove(name);
    }

    void markExpired(String name, boolean isExpired) {
        if (isExpired) {
            expired.add(name);
        } else {
            expired.remove(name);
        }
    }

    void setEvictionGraceUntil(Instant until) {
        evictionGraceUntil = until;
    }

    void advanceTo(long index, Instant time) {
        lastIndex = index;
        lastEventTime = time;
    }
}
