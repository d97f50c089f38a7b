package dev.registry.server.replication;

import dev.registry.api.ServiceRecord;
import dev.registry.events.log.LoggedEvent;
import java.util.Optional;

/**
 * What became of one event at its place in a shared log, as this node's projection applied it.
 *
 * @param event       the event with its position
 * @param effective   whether it took effect (see {@code Projector}): false for a proposal that lost a race
 * @param recordAfter its record right after it, when it names one that still exists
 */
record Outcome(LoggedEvent event, boolean effective, Optional<ServiceRecord> recordAfter) {}
