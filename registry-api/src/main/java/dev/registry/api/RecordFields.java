package dev.registry.api;

import java.util.List;

/**
 * The JSON field names of a service record on the wire, written once: the server's encoder, the
 * client's {@link ServiceRecord}, the request parser, the event codec's change lists and the
 * watcher's fold all read them from here.
 */
public final class RecordFields {

    public static final String NAME = "name";
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String HOSTNAME = "hostname";
    public static final String URL = "url";
    public static final String STATUS = "status";
    public static final String TIMESTAMP = "timestamp";
    public static final String LAST_HEARTBEAT = "last_heartbeat";
    public static final String HEALTH_STATUS = "health_status";
    public static final String METADATA = "metadata";
    /** Not stored: whether the record was healthy at the time of the query. */
    public static final String IS_HEALTHY = "is_healthy";

    /** Every stored field, in the order the server writes them (then {@link #IS_HEALTHY}). */
    public static final List<String> STORED =
            List.of(NAME, HOST, PORT, HOSTNAME, URL, STATUS, TIMESTAMP, LAST_HEARTBEAT, HEALTH_STATUS, METADATA);
    /** What a registration must carry, in the order the first missing one is reported. */
    public static final List<String> REQUIRED = List.of(NAME, HOST, PORT, HOSTNAME, URL, STATUS);
    /** What an update may change, in the order an {@code updated} event lists them. */
    public static final List<String> CHANGEABLE = List.of(HOST, PORT, HOSTNAME, URL, STATUS, METADATA);

    private RecordFields() {}
}
