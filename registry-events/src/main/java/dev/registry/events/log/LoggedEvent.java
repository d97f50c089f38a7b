package dev.registry.events.log;

import dev.registry.events.event.RegistryEvent;

/**
 * An event together with its position in the log.
 *
 * @param index the log's position of the event: opaque, strictly increasing, never reused
 * @param event the decoded event
 */
public record LoggedEvent(long index, RegistryEvent event) {}
