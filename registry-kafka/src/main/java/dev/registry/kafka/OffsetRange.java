package dev.registry.kafka;

/**
 * The offsets a partition holds: {@code [first, end)}, where {@code end} is one past the last event that
 * every in-sync replica has (the high watermark).
 */
record OffsetRange(long first, long end) {

    boolean isEmpty() {
        return end <= first;
    }

    boolean contains(long offset) {
        return offset >= first && offset < end;
    }
}
