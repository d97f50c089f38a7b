package dev.registry.server.logging;

import java.util.logging.LogManager;

/**
 * The JDK's log manager, except that its own shutdown hook does not reset logging: that hook runs
 * beside the server's, and would drop the server's last lines (what a stop flushed). Handlers
 * are not closed at exit; the console and file handlers flush every record anyway. Installed by
 * {@link ServerLogging#configure()}.
 */
public final class ShutdownSafeLogManager extends LogManager {

    private static final String JDK_CLEANER = LogManager.class.getName() + "$Cleaner";

    @Override
    public void reset() {
        if (JDK_CLEANER.equals(Thread.currentThread().getClass().getName())) {
            return;
        }
        super.reset();
    }
}
