package dev.registry.server.connections;

import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Tells when Helidon's listener stops while the server runs. Helidon 4.5 ends its accept loop on
 * the first failed {@code accept} ("Too many open files", a socket error) and its listener thread
 * then waits on itself for good: the process lives on, holding the data directory's lock, with
 * no listening socket, and nothing in Helidon's API says so. The one sign is the line it logs
 * ("this server socket is terminating now"), which this handler watches for.
 */
public final class ListenerWatch extends Handler {

    /** Helidon's listener logs here (System.Logger over java.util.logging). */
    static final String HELIDON_LISTENER = "io.helidon.webserver.ServerListener";

    private static final String TERMINATING = "this server socket is terminating now";

    // java.util.logging holds loggers weakly: a handler on a collected logger would be lost
    private static Logger watched;

    private final Consumer<String> onStop;

    private ListenerWatch(Consumer<String> onStop) {
        this.onStop = onStop;
        setLevel(Level.SEVERE);
    }

    /**
     * Calls {@code onStop} with the cause when any Helidon listener of this JVM stops by itself
     * (a stop the server asked for says nothing). For a process that runs one server.
     */
    public static synchronized void install(Consumer<String> onStop) {
        watched = Logger.getLogger(HELIDON_LISTENER);
        watched.addHandler(new ListenerWatch(onStop));
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() < Level.SEVERE.intValue()
                || record.getMessage() == null
                || !record.getMessage().contains(TERMINATING)) {
            return;
        }
        onStop.accept(
                record.getThrown() == null
                        ? record.getMessage()
                        : record.getThrown().toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
}
