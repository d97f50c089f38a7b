package dev.registry.events.log;

import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.posix.PosixAPI;
import net.openhft.posix.internal.noop.NoOpPosixAPI;

/**
 * The one way this code base builds a Chronicle queue, so that what must hold before Chronicle
 * runs holds on every path (server, every tool, {@code --repair}, tests): its usage analytics are
 * off, and its chatter is quiet. Chronicle decides about analytics when its first queue is built,
 * from a system property; a queue built anywhere else could phone home.
 */
public final class ChronicleQueues {

    /** Held so the level set below stays (JUL keeps loggers weakly). */
    private static final Logger CHRONICLE_LOGGER = Logger.getLogger("net.openhft");

    static {
        // Chronicle otherwise writes ~/.chronicle.analytics.* and sends usage data; a registry must not.
        System.setProperty("chronicle.analytics.disable", "true");
        // Chronicle reports file growth and mappings at INFO; only its warnings matter here,
        // unless the operator's logging configuration says otherwise.
        if (LogManager.getLogManager().getProperty("net.openhft.level") == null) {
            CHRONICLE_LOGGER.setLevel(Level.WARNING);
        }
    }

    /** Set when this process chose to go without Chronicle's msync (see {@link #setUpInBackground}). */
    private static volatile boolean msyncLeftOut;

    private ChronicleQueues() {}

    /**
     * Runs Chronicle's one-time set-up on a thread of its own, so that a start does its own set-up
     * meanwhile. The first queue built waits for it to finish; a set-up that fails fails there
     * again, and is reported there.
     *
     * @param msync whether a log of this process will be forced to disk. Only then is Chronicle's
     *              POSIX binding made: msync is the one call of it a log needs, and Chronicle binds
     *              it by generating machine code at run time (jnr-ffi), a tenth of a second or more
     *              of a start that no class cache keeps. Without it, a log cannot be opened in sync
     *              mode in this process.
     */
    public static void setUpInBackground(boolean msync) {
        if (!msync) {
            msyncLeftOut = true;
            PosixAPI.useNoOpPosixApi();
        }
        Thread.ofPlatform().daemon().name("chronicle-set-up").start(ChronicleQueues::setUp);
    }

    /**
     * Fails unless a mapped file can be forced to disk in this process: Chronicle's no-op POSIX
     * binding (chosen by {@link #setUpInBackground}, or by Chronicle itself when the native one
     * cannot be made on this platform) answers msync with success and forces nothing.
     */
    static void requireMsync() {
        if (msyncLeftOut) {
            throw new IllegalStateException(
                    "this process set Chronicle up without msync, so it cannot open a log that is forced to disk");
        }
        if (PosixAPI.posix() instanceof NoOpPosixAPI) {
            throw new IllegalStateException("writes cannot be forced to disk here: Chronicle could not bind msync"
                    + " on this platform (" + System.getProperty("os.name") + ", " + System.getProperty("os.arch")
                    + "); only --fsync none can run on it");
        }
    }

    private static void setUp() {
        try {
            Class.forName(SingleChronicleQueueBuilder.class.getName(), true, ChronicleQueues.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError failed) {
            // building the first queue meets it again, where the start reports it
        }
    }

    /** A builder for the binary queue in {@code dir}, with analytics off. */
    public static SingleChronicleQueueBuilder builder(Path dir) {
        return SingleChronicleQueueBuilder.binary(dir);
    }
}
