package dev.registry.events.projection;

import dev.registry.api.ServiceRecord;
import java.time.Instant;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
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
 *
 * <p>Each name has a slot that holds its place and its current record, so a heartbeat (most of
 * all writes) replaces one field of one slot and leaves both maps alone.
 */
public final class RegistryView {

    /** A name's place in the order, its current record, and whether it expired since its last heartbeat. */
    private static final class Slot {
        final long order;
        volatile ServiceRecord record;
        volatile boolean expired;

        Slot(long order, ServiceRecord record) {
            this.order = order;
            this.record = record;
        }
    }

    private final Map<String, Slot> byName = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, Slot> inOrder = new ConcurrentSkipListMap<>();
    private final Collection<ServiceRecord> records = new AbstractCollection<>() {
        @Override
        public Iterator<ServiceRecord> iterator() {
            Iterator<Slot> slots = inOrder.values().iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return slots.hasNext();
                }

                @Override
                public ServiceRecord next() {
                    return slots.next().record;
                }
            };
        }

        @Override
        public int size() {
            return inOrder.size();
        }
    };
    private volatile long lastIndex = -1;
    private volatile Instant lastEventTime = Instant.MIN;
    private volatile Instant evictionGraceUntil = Instant.MIN;
    private volatile Lease lease;

    /**
     * The lease for time-driven events on a log several nodes share, as the log granted it.
     *
     * @param holder the node holding it
     * @param epoch  its epoch (1, 2, ... one per holder in turn)
     * @param until  when it runs out, unless renewed
     */
    public record Lease(String holder, long epoch, Instant until) {

        /** Whether it is still held at {@code time}. */
        public boolean heldAt(Instant time) {
            return !time.isAfter(until);
        }
    }

    /** The record of that name, if registered. */
    public Optional<ServiceRecord> get(String name) {
        Slot slot = byName.get(name);
        return slot == null ? Optional.empty() : Optional.of(slot.record);
    }

    /** All records in registration order; a live, read-only view that reflects later changes. */
    public Collection<ServiceRecord> records() {
        return records;
    }

    public int size() {
        return byName.size();
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
        Slot slot = byName.get(name);
        return slot != null && slot.expired;
    }

    /** The lease for time-driven events, if one was ever granted (only on a log several nodes share). */
    public java.util.Optional<Lease> lease() {
        return java.util.Optional.ofNullable(lease);
    }

    /** No record may be evicted before this time (set by the latest registry start). */
    public Instant evictionGraceUntil() {
        return evictionGraceUntil;
    }

    /** An independent copy of this view (records are immutable and shared). */
    public RegistryView copy() {
        RegistryView copy = new RegistryView();
        for (Slot slot : inOrder.values()) {
            Slot twin = new Slot(slot.order, slot.record);
            twin.expired = slot.expired;
            copy.byName.put(slot.record.name(), twin);
            copy.inOrder.put(slot.order, twin);
        }
        copy.lastIndex = lastIndex;
        copy.lastEventTime = lastEventTime;
        copy.evictionGraceUntil = evictionGraceUntil;
        copy.lease = lease;
        return copy;
    }

    /** A copy of the records by name, in registration order, for comparisons and tests. */
    public Map<String, ServiceRecord> snapshot() {
        Map<String, ServiceRecord> copy = new LinkedHashMap<>();
        records.forEach(r -> copy.put(r.name(), r));
        return copy;
    }

    /** Each record with its place in the order and its expiry mark, in order: what a snapshot stores. */
    public void forEachPlaced(PlacedRecordConsumer consumer) {
        for (Slot slot : inOrder.values()) {
            consumer.accept(slot.order, slot.record, slot.expired);
        }
    }

    /** Receives {@link #forEachPlaced} entries. */
    @FunctionalInterface
    public interface PlacedRecordConsumer {
        void accept(long order, ServiceRecord record, boolean expired);
    }

    /** Rebuilds a view from what {@link #forEachPlaced} gave (loading a snapshot). */
    public static RegistryView restore(
            Iterable<PlacedRecord> placed, long lastIndex, Instant lastEventTime, Instant evictionGraceUntil) {
        return restore(placed, lastIndex, lastEventTime, evictionGraceUntil, null);
    }

    /** As {@link #restore(Iterable, long, Instant, Instant)}, with the lease the snapshot held. */
    public static RegistryView restore(
            Iterable<PlacedRecord> placed,
            long lastIndex,
            Instant lastEventTime,
            Instant evictionGraceUntil,
            Lease lease) {
        RegistryView view = new RegistryView();
        for (PlacedRecord p : placed) {
            Slot slot = new Slot(p.order(), p.record());
            slot.expired = p.expired();
            view.byName.put(p.record().name(), slot);
            view.inOrder.put(p.order(), slot);
        }
        view.lastIndex = lastIndex;
        view.lastEventTime = lastEventTime;
        view.evictionGraceUntil = evictionGraceUntil;
        view.lease = lease;
        return view;
    }

    /** A record with its place in the order and its expiry mark. */
    public record PlacedRecord(long order, ServiceRecord record, boolean expired) {}

    /**
     * Lets {@code name}'s record be made of {@code other}'s record of that name where they are
     * equal ({@link ServiceRecord#sharingPartsOf}): what the view holds does not change, only
     * which objects hold it. A view replayed from the log (time travel) shares what it can with
     * the live one. Only the thread that changes this view may call it.
     */
    public void shareWith(String name, RegistryView other) {
        Slot mine = byName.get(name);
        Slot theirs = other.byName.get(name);
        if (mine != null && theirs != null) {
            mine.record = mine.record.sharingPartsOf(theirs.record);
        }
    }

    /** Adds or replaces a record; a new name takes {@code order} as its place. */
    void register(ServiceRecord record, long order) {
        Slot slot = byName.get(record.name());
        if (slot == null) {
            slot = new Slot(order, record);
            inOrder.put(order, slot);
            byName.put(record.name(), slot);
        } else {
            slot.record = record;
        }
        slot.expired = false;
    }

    /**
     * Changes an existing record in its place (one lookup: this is every heartbeat's path);
     * {@code freshHeartbeat} ends an expiry. Does nothing for an unknown name.
     *
     * @return whether the name had a record
     */
    boolean change(String name, java.util.function.UnaryOperator<ServiceRecord> change, boolean freshHeartbeat) {
        Slot slot = byName.get(name);
        if (slot == null) {
            return false;
        }
        slot.record = change.apply(slot.record);
        if (freshHeartbeat) {
            slot.expired = false;
        }
        return true;
    }

    /** @return whether the name had a record */
    boolean remove(String name) {
        Slot slot = byName.remove(name);
        if (slot == null) {
            return false;
        }
        inOrder.remove(slot.order);
        return true;
    }

    boolean markExpired(String name) {
        Slot slot = byName.get(name);
        if (slot == null) {
            return false;
        }
        slot.expired = true;
        return true;
    }

    void setEvictionGraceUntil(Instant until) {
        evictionGraceUntil = until;
    }

    void setLease(Lease granted) {
        lease = granted;
    }

    /**
     * Moves the view past the event at {@code index}. Its time never goes backwards: on a log
     * several nodes share, events carry their proposers' clocks, a few milliseconds apart.
     */
    void advanceTo(long index, Instant time) {
        lastIndex = index;
        if (time.isAfter(lastEventTime)) {
            lastEventTime = time;
        }
    }
}
