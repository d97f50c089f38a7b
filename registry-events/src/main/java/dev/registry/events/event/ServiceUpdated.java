package dev.registry.events.event;

import java.time.Instant;

/**
 * A client updated some fields of a record. An update also counts as a heartbeat, so the
 * record's {@code last_heartbeat} becomes {@link #time()}.
 *
 * @param time    append time
 * @param name    the record
 * @param changes the fields the client sent; absent ones are unchanged
 */
public record ServiceUpdated(Instant time, String name, ServiceChanges changes) implements ServiceEvent {}
