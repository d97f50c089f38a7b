package dev.registry.events.event;

import java.time.Instant;

/** A client removed a record. */
public record ServiceDeregistered(Instant time, String name) implements ServiceEvent {}
