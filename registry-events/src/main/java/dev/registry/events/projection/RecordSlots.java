package dev.registry.events.projection;

import dev.registry.api.ServiceRecord;
import java.util.Iterator;
import java.util.function.UnaryOperator;

/**
 * Where a {@link RegistryView} keeps its records: each name's record, its place in the order and
 * its expiry mark. The live view needs readers on any thread while the projector writes
 * ({@link ConcurrentSlots}); a view that one thread builds and then only reads (time travel,
 * checkpoints, the tools' replays) is better packed into a few arrays ({@link CompactSlots}).
 */
sealed interface RecordSlots permits ConcurrentSlots, CompactSlots {

    /** The record of that name, or {@code null}. */
    ServiceRecord get(String name);

    boolean isExpired(String name);

    int size();

    /** Adds or replaces a record and clears its expiry; a new name takes {@code order} as its place. */
    void register(ServiceRecord record, long order);

    /**
     * Replaces an existing record by {@code change} of it; {@code freshHeartbeat} ends an expiry.
     *
     * @return whether the name had a record
     */
    boolean change(String name, UnaryOperator<ServiceRecord> change, boolean freshHeartbeat);

    /** @return whether the name had a record */
    boolean remove(String name);

    /** @return whether the name had a record */
    boolean markExpired(String name);

    /** Records in order. */
    Iterator<ServiceRecord> iterator();

    void forEachPlaced(RegistryView.PlacedRecordConsumer consumer);
}
