package dev.registry.events.log;

import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

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

    private ChronicleQueues() {}

    /**
     * Runs Chronicle's one-time set-up on a thread of its own, so that a start does its own set-up
     * meanwhile: Chronicle binds its native calls by generating code at run time, about a fifth of
     * a second that no class cache keeps. The first queue built waits for it to finish; a set-up
     * that fails fails there again, and is reported there.
     */
    public static void setUpInBackground() {
        Thread.ofPlatform().daemon().name("chronicle-set-up").start(ChronicleQueues::setUp);
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
