package dev.registry.server.write;

import java.util.Locale;

/**
 * When the writer forces appended events to disk before acknowledging them.
 * <ul>
 *   <li>{@link #NONE}: never; an acknowledged write survives a crash of the process (the page
 *       cache outlives it) but not a power loss before the kernel writes it back;</li>
 *   <li>{@link #BATCH}: group commit; the writer appends what has queued up, forces it to disk
 *       once, then acknowledges the whole batch: survives a power loss, one fsync per batch;</li>
 *   <li>{@link #ALWAYS}: one fsync per write before its acknowledgement.</li>
 * </ul>
 */
public enum SyncPolicy {
    NONE,
    BATCH,
    ALWAYS;

    /** {@code none}, {@code batch} or {@code always}. */
    public static SyncPolicy parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("'" + value + "' is not a sync policy: none, batch or always");
        }
    }
}
