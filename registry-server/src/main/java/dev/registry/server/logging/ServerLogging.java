package dev.registry.server.logging;

import java.io.IOException;
import java.io.InputStream;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** How the server logs: our one-line format, unless the operator gave a configuration of their own. */
public final class ServerLogging {

    /** {@code --log-format}: how each line is written. */
    public enum Format {
        /** One line of text: time, level, logger, message. */
        TEXT,
        /** One JSON object per line, with the fields of {@link LogLine}s. */
        JSON
    }

    private ServerLogging() {}

    /** Call first in {@code main}, before anything touches java.util.logging. */
    public static void configure() {
        // by name: loading the class itself would initialise LogManager before the property is read
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "dev.registry.server.logging.ShutdownSafeLogManager");
        }
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = ServerLogging.class.getResourceAsStream("/dev/registry/server/logging.properties")) {
            LogManager.getLogManager().readConfiguration(in);
        } catch (IOException | RuntimeException ex) {
            System.err.println("registry-server: default logging configuration not loaded: " + ex);
        }
    }

    /** Writes every line of the root logger's handlers in {@code format} from now on. */
    public static void use(Format format) {
        if (format == Format.JSON) {
            for (Handler h : Logger.getLogger("").getHandlers()) {
                h.setFormatter(new JsonLogFormatter());
            }
        }
    }
}
