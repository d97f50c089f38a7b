package dev.registry.server.write;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Refuses writes while the data directory's file system is read-only or has less than a minimum
 * of free space.
 * The log lives in memory-mapped files: running the disk truly full under them would fault the
 * process, so the registry stops taking writes before that (503, reads keep working) and takes
 * them again as soon as space returns. Free space is looked up at most every {@link #RECHECK_NANOS}.
 */
public final class DiskGuard {

    static final long RECHECK_NANOS = 1_000_000_000L;

    private final LongSupplier usableBytes;
    private final BooleanSupplier readOnly;
    private final String readOnlyCause;
    private final long minimum;
    private long checkedAt;
    private long lastUsable = Long.MAX_VALUE;
    private boolean lastReadOnly;

    /**
     * @param usableBytes free space now (the file system's, or a test's)
     * @param minimum     fewest free bytes to keep taking writes
     */
    public DiskGuard(LongSupplier usableBytes, long minimum) {
        this(usableBytes, () -> false, "", minimum);
    }

    /**
     * @param readOnly      whether the file system takes no writes now
     * @param readOnlyCause what to tell writers while it does not
     */
    public DiskGuard(LongSupplier usableBytes, BooleanSupplier readOnly, String readOnlyCause, long minimum) {
        this.usableBytes = usableBytes;
        this.readOnly = readOnly;
        this.readOnlyCause = readOnlyCause;
        this.minimum = minimum;
        this.checkedAt = System.nanoTime() - RECHECK_NANOS;
    }

    /** Whether the file system that holds {@code dir} is read-only (mounted so, or not writable to us). */
    public static boolean isReadOnly(Path dir) {
        // access(W_OK): EROFS on a read-only mount, even for root; one system call, no mount table
        return Files.isDirectory(dir) && !Files.isWritable(dir);
    }

    /** Free space of the file system that holds {@code dir}. */
    public static LongSupplier usableSpaceOf(Path dir) {
        FileStore[] store = new FileStore[1];
        return () -> {
            try {
                // finding the store reads the mount table; asking it for space is one statvfs, live
                if (store[0] == null) {
                    store[0] = Files.getFileStore(dir);
                }
                return store[0].getUsableSpace();
            } catch (IOException ex) {
                return Long.MAX_VALUE; // cannot tell: do not refuse writes over it
            }
        };
    }

    /** Throws when free space is below the minimum. Called by the writer thread only. */
    void check() {
        long now = System.nanoTime();
        if (now - checkedAt >= RECHECK_NANOS || lastUsable < minimum || lastReadOnly) {
            lastUsable = usableBytes.getAsLong();
            lastReadOnly = readOnly.getAsBoolean();
            checkedAt = now;
        }
        if (lastReadOnly) {
            throw new WriteFailedException(readOnlyCause, null);
        }
        if (lastUsable < minimum) {
            throw new WriteFailedException(
                    "the disk is almost full: " + (lastUsable >> 20) + " MiB free, " + "writes resume above "
                            + (minimum >> 20) + " MiB (--min-free-space)",
                    null);
        }
    }
}
