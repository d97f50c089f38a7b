package dev.registry.events.projection;

import dev.registry.api.ServiceRecord;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;

/**
 * The live view's records: one writer, any number of readers at once. Each name has a slot that
 * holds its place and its current record, so a heartbeat (most of all writes) replaces one field
 * of one slot and leaves both maps alone; readers iterate the order map weakly consistently.
 */
final class ConcurrentSlots implements RecordSlots {

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

    @Override
    public ServiceRecord get(String name) {
        Slot slot = byName.get(name);
        return slot == null ? null : slot.record;
    }

    @Override
    public boolean isExpired(String name) {
        Slot slot = byName.get(name);
        return slot != null && slot.expired;
    }

    @Override
    public int size() {
        return byName.size();
    }

    /** Restores a placed record (loading a snapshot): like {@link #register}, with its mark. */
    void place(long order, ServiceRecord record, boolean expired) {
        Slot slot = new Slot(order, record);
        slot.expired = expired;
        byName.put(record.name(), slot);
        inOrder.put(order, slot);
    }

    @Override
    public void register(ServiceRecord record, long order) {
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

    @Override
    public boolean change(String name, UnaryOperator<ServiceRecord> change, boolean freshHeartbeat) {
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

    @Override
    public boolean remove(String name) {
        Slot slot = byName.remove(name);
        if (slot == null) {
            return false;
        }
        inOrder.remove(slot.order);
        return true;
    }

    @Override
    public boolean markExpired(String name) {
        Slot slot = byName.get(name);
        if (slot == null) {
            return false;
        }
        slot.expired = true;
        return true;
    }

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
    public void forEachPlaced(RegistryView.PlacedRecordConsumer consumer) {
        for (Slot slot : inOrder.values()) {
            consumer.accept(slot.order, slot.record, slot.expired);
        }
    }
}
