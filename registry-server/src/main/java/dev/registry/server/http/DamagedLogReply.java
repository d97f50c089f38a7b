package dev.registry.server.http;

import dev.registry.events.log.DamagedEventException;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a read that met a damaged event answers: a 500 naming the index and the file, never the
 * damaged data. The damage is logged once per index, not once per request that meets it.
 */
public final class DamagedLogReply {

    private static final System.Logger LOG = System.getLogger(DamagedLogReply.class.getName());
    private static final Set<Long> REPORTED = ConcurrentHashMap.newKeySet();

    private DamagedLogReply() {}

    /** {@code 500 {"error": "...", "damaged_index": N}} */
    public static ApiReply of(DamagedEventException damage) {
        logOnce(damage);
        return ApiReply.of(500, body(damage));
    }

    /** The reply's body, also what an event stream sends before it ends. */
    public static byte[] body(DamagedEventException damage) {
        return ReplyJson.encode(g -> {
            g.writeStartObject();
            g.writeStringField("error", message(damage));
            g.writeNumberField("damaged_index", damage.index());
            g.writeEndObject();
        });
    }

    /** Logs the damage, the first time its index is met. */
    public static void logOnce(DamagedEventException damage) {
        if (REPORTED.add(damage.index())) {
            LOG.log(
                    Level.ERROR,
                    "the log is damaged: " + damage.getMessage() + "; answers that need this event fail "
                            + "with 500 (registry-tools verify lists the damage; --repair sets it aside)");
        }
    }

    private static String message(DamagedEventException damage) {
        return "The registry's log is damaged: " + damage.getMessage() + "; this answer needs that event";
    }
}
