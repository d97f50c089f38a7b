package dev.registry.api.client;

import java.util.List;

/**
 * A list reply.
 *
 * @param services  the records, in registration order
 * @param total     how many
 * @param timestamp the server's time of the reply
 * @param index     the view's log index the reply reflects (for blocking queries and streams)
 */
public record ServiceList(List<ServiceInfo> services, int total, String timestamp, long index) {}
