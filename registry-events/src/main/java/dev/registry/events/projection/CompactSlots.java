package dev.registry.events.projection;

import dev.registry.api.ServiceRecord;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.UnaryOperator;

/**
 * Records packed into arrays by position, with an open-addressing index of positions by name:
 * about 20 bytes a record besides the records themselves, against some 110 for the live view's
 * slots in two concurrent maps. A large view is then a handful of large arrays, which the
 * collector neither copies nor traces object by object while a time-travel request holds them.
 *
 * <p>Positions follow the order of first registration, so a new name must come with an order
 * above every other ({@link Projector} gives the event's index; a replay goes forwards). A removed
 * record leaves a hole, closed up once holes outnumber records. One thread changes it; readers
 * may read it once it is handed over and no longer changes.
 */
final class CompactSlots implements RecordSlots {

    private static final int EMPTY = 0;
    private static final int GONE = -1;
    private static final int MIN_CAPACITY = 8;

    private ServiceRecord[] records;
    private long[] orders;
    private boolean[] expired;
    /** Positions handed out since the last closing-up (live and removed). */
    private int used;

    private int size;
    /** Position + 1 of each name, {@link #EMPTY} or {@link #GONE}; at least twice the capacity, a power of two. */
    private int[] index;

    CompactSlots(int capacity) {
        allocate(Math.max(MIN_CAPACITY, capacity));
    }

    /** A packed copy of what {@code source} holds, in its order. */
    static CompactSlots copyOf(RecordSlots source) {
        CompactSlots copy = new CompactSlots(source.size());
        source.forEachPlaced(copy::place);
        return copy;
    }

    /** Adds a record at the end of the order, with its mark (copying, loading). */
    void place(long order, ServiceRecord record, boolean expired) {
        if (position(record.name()) >= 0) {
            throw new IllegalStateException("'" + record.name() + "' is placed twice");
        }
        append(order, record);
        this.expired[used - 1] = expired;
    }

    @Override
    public ServiceRecord get(String name) {
        int p = position(name);
        return p < 0 ? null : records[p];
    }

    @Override
    public boolean isExpired(String name) {
        int p = position(name);
        return p >= 0 && expired[p];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public void register(ServiceRecord record, long order) {
        int p = position(record.name());
        if (p >= 0) {
            records[p] = record;
            expired[p] = false;
        } else {
            append(order, record);
        }
    }

    @Override
    public boolean change(String name, UnaryOperator<ServiceRecord> change, boolean freshHeartbeat) {
        int p = position(name);
        if (p < 0) {
            return false;
        }
        records[p] = change.apply(records[p]);
        if (freshHeartbeat) {
            expired[p] = false;
        }
        return true;
    }

    @Override
    public boolean remove(String name) {
        int entry = entryOf(name);
        if (entry < 0) {
            return false;
        }
        records[index[entry] - 1] = null;
        index[entry] = GONE;
        size--;
        return true;
    }

    @Override
    public boolean markExpired(String name) {
        int p = position(name);
        if (p < 0) {
            return false;
        }
        expired[p] = true;
        return true;
    }

    @Override
    public Iterator<ServiceRecord> iterator() {
        ServiceRecord[] all = records;
        int end = used;
        return new Iterator<>() {
            private int next = skipHoles(0);

            private int skipHoles(int from) {
                int p = from;
                while (p < end && all[p] == null) {
                    p++;
                }
                return p;
            }

            @Override
            public boolean hasNext() {
                return next < end;
            }

            @Override
            public ServiceRecord next() {
                if (next >= end) {
                    throw new NoSuchElementException();
                }
                ServiceRecord r = all[next];
                next = skipHoles(next + 1);
                return r;
            }
        };
    }

    @Override
    public void forEachPlaced(RegistryView.PlacedRecordConsumer consumer) {
        for (int p = 0; p < used; p++) {
            if (records[p] != null) {
                consumer.accept(orders[p], records[p], expired[p]);
            }
        }
    }

    private void append(long order, ServiceRecord record) {
        if (used > 0 && order <= orders[used - 1]) {
            throw new IllegalStateException("a new name's place " + order + " is not after the last one, "
                    + orders[used - 1] + ": a compact view is built forwards");
        }
        if (used == records.length) {
            makeRoom();
        }
        int p = used++;
        records[p] = record;
        orders[p] = order;
        expired[p] = false;
        insert(record.name(), p);
        size++;
    }

    /** Closes up the holes if they are at least half the positions, else doubles; rebuilds the index. */
    private void makeRoom() {
        ServiceRecord[] oldRecords = records;
        long[] oldOrders = orders;
        boolean[] oldExpired = expired;
        int oldUsed = used;
        allocate(size * 2 <= oldUsed ? Math.max(MIN_CAPACITY, oldUsed) : oldUsed * 2);
        for (int p = 0; p < oldUsed; p++) {
            if (oldRecords[p] != null) {
                records[used] = oldRecords[p];
                orders[used] = oldOrders[p];
                expired[used] = oldExpired[p];
                insert(oldRecords[p].name(), used);
                used++;
            }
        }
    }

    private void allocate(int capacity) {
        records = new ServiceRecord[capacity];
        orders = new long[capacity];
        expired = new boolean[capacity];
        // every position takes at most one empty entry between rebuilds: at least half stay empty
        index = new int[Integer.highestOneBit(2 * capacity - 1) << 1];
        used = 0;
    }

    private void insert(String name, int p) {
        int mask = index.length - 1;
        int i = hash(name) & mask;
        while (index[i] > 0) { // a GONE entry can be taken again: the name is in none
            i = (i + 1) & mask;
        }
        index[i] = p + 1;
    }

    private int position(String name) {
        int entry = entryOf(name);
        return entry < 0 ? -1 : index[entry] - 1;
    }

    private int entryOf(String name) {
        int mask = index.length - 1;
        for (int i = hash(name) & mask; ; i = (i + 1) & mask) {
            int e = index[i];
            if (e == EMPTY) {
                return -1;
            }
            if (e > 0 && records[e - 1].name().equals(name)) {
                return i;
            }
        }
    }

    private static int hash(String name) {
        int h = name.hashCode() * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
