package dev.registry.server.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One server per data directory: an OS file lock on {@code DATA_DIR/registry.lock}, held while the
 * server runs. A second server on the same directory fails at once with a clear message instead
 * of two writers corrupting one log. The lock dies with the process, so a crash never leaves it
 * stuck. (The file also says which process holds it, for people.)
 */
public final class DataDirLock implements AutoCloseable {

    /**
     * Lock files this JVM holds. Checked before touching the file, because on POSIX closing any
     * channel to a file drops every lock this process holds on it: a refused second attempt in
     * the same JVM must not open (and close) the file at all.
     */
    private static final java.util.Set<Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * No lock, for a read-only data directory: no server can write there, so none can compete,
     * and the lock file could not be created anyway.
     */
    public static DataDirLock notNeeded() {
        return new DataDirLock(null, null, null);
    }

    /** Takes the lock or fails with the reason. */
    public static DataDirLock acquire(Path dataDir) {
        Path file = dataDir.resolve("registry.lock").toAbsolutePath().normalize();
        if (!HELD.add(file)) {
            throw new IllegalStateException("another registry server is using "
                    + dataDir.toAbsolutePath().normalize() + " (in this process); one server per data directory");
        }
        try {
            return lockFile(dataDir, file);
        } catch (RuntimeException ex) {
            HELD.remove(file);
            throw ex;
        }
    }

    private static DataDirLock lockFile(Path dataDir, Path file) {
        try {
            Files.createDirectories(dataDir);
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new IllegalStateException("another registry server is using "
                        + dataDir.toAbsolutePath().normalize() + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + "; one server per data directory");
            }
            channel.truncate(0);
            channel.write(
                    ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new DataDirLock(file, channel, lock);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot lock data directory " + dataDir + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel anyway
        } finally {
            HELD.remove(file);
        }
    }
}
