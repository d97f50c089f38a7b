package dev.registry.events.projection;

import dev.registry.api.ServiceRecord;
import java.time.Instant;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The current state of the registry: every live record, in registration order, and how far
 * into the log the state reaches.
 *
 * <p>Records keep the position of their first registration, as the registry this one replaces
 * did (re-registering a name keeps its place; deregistering and registering again moves it to
 * the end). Only the {@link Projector} changes a view, from one thread. Records are immutable,
 * so a reader sees each record whole.
 *
 * <p>The live view ({@code new RegistryView()}) may be read by any number of threads while it
 * changes. A {@link #compact()} view and every {@link #copy()} are packed for one thread to build
 * and then any to read, not while it changes: the states time travel replays, checkpoints,
 * snapshots being written, the tools' replays.
 */
public final class RegistryView {

    private final RecordSlots slots;
    private final Collection<ServiceRecord> records = new AbstractCollection<>() {
        @Override
        public Iterator<ServiceRecord> iterator() {
            return slots.iterator();
        }

        @Override
        public int size() {
            return slots.size();
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

    /** An empty live view: read by any thread while the projector changes it. */
    public RegistryView() {
        this(new ConcurrentSlots());
    }

    private RegistryView(RecordSlots slots) {
        this.slots = slots;
    }

    /**
     * An empty view for one thread to build and then any to read once it no longer changes (a
     * replay's), packed into arrays: a fifth of the live view's bytes a record, in a few large
     * arrays the collector does not copy while a request holds them.
     */
    public static RegistryView compact() {
        return new RegistryView(new CompactSlots(0));
    }

    /** The record of that name, if registered. */
    public Optional<ServiceRecord> get(String name) {
        return Optional.ofNullable(slots.get(name));
    }

    /** All records in registration order; a live, read-only view that reflects later changes. */
    public Collection<ServiceRecord> records() {
        return records;
    }

    public int size() {
        return slots.size();
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
        return slots.isExpired(name);
    }

    /** The lease for time-driven events, if one was ever granted (only on a log several nodes share). */
    public java.util.Optional<Lease> lease() {
        return java.util.Optional.ofNullable(lease);
    }

    /** No record may be evicted before this time (set by the latest registry start). */
    public Instant evictionGraceUntil() {
        return evictionGraceUntil;
    }

    /**
     * An independent {@link #compact()} copy of this view (records are immutable and shared), for
     * one thread to change further or any to read. Take it on the thread that changes this view.
     */
    public RegistryView copy() {
        RegistryView copy = new RegistryView(CompactSlots.copyOf(slots));
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
        slots.forEachPlaced(consumer);
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
        ConcurrentSlots slots = new ConcurrentSlots();
        for (PlacedRecord p : placed) {
            slots.place(p.order(), p.record(), p.expired());
        }
        RegistryView view = new RegistryView(slots);
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
        ServiceRecord theirs = other.slots.get(name);
        if (theirs != null) {
            slots.change(name, mine -> mine.sharingPartsOf(theirs), false);
        }
    }

    /** Adds or replaces a record; a new name takes {@code order} as its place. */
    void register(ServiceRecord record, long order) {
        slots.register(record, order);
    }

    /**
     * Changes an existing record in its place (one lookup: this is every heartbeat's path);
     * {@code freshHeartbeat} ends an expiry. Does nothing for an unknown name.
     *
     * @return whether the name had a record
     */
    boolean change(String name, java.util.function.UnaryOperator<ServiceRecord> change, boolean freshHeartbeat) {
        return slots.change(name, change, freshHeartbeat);
    }

    /** @return whether the name had a record */
    boolean remove(String name) {
        return slots.remove(name);
    }

    boolean markExpired(String name) {
        return slots.markExpired(name);
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
