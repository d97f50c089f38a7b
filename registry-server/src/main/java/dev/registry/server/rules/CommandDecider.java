package dev.registry.server.rules;

import dev.registry.api.ServiceRecord;
import dev.registry.api.Timestamps;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides which events a command produces against the current view, at a given time. Pure: the
 * same view, command and time always give the same answer. An empty optional means the command's
 * record does not exist (HTTP 404); an empty list means there is nothing to record.
 */
public final class CommandDecider {

    private CommandDecider() {}

    /**
     * @throws RecordLimitReachedException when a registration of a new name finds the registry
     *                                     holding as many records as the command allows
     */
    public static Optional<List<RegistryEvent>> decide(RegistryView view, Command command, Instant time) {
        return switch (command) {
            case Command.Register c -> Optional.of(List.of(registered(view, c, time)));
            case Command.Update c ->
                view.get(c.name()).map(r -> List.of(new ServiceUpdated(time, c.name(), c.changes())));
            case Command.Heartbeat c ->
                view.get(c.name()).map(r -> List.of(new HeartbeatReceived(time, c.name(), c.status(), c.cause())));
            case Command.Deregister c -> view.get(c.name()).map(r -> List.of(new ServiceDeregistered(time, c.name())));
            case Command.Start c ->
                Optional.of(List.of(new RegistryStarted(time, c.version(), c.config(), time.plus(c.evictionGrace()))));
            case Command.Sweep c -> Optional.of(c.rules().due(view, c.deadlines(), time));
            case Command.RecordCheck c -> view.get(c.name()).map(r -> checkEvents(r, c, time));
        };
    }

    /**
     * The events a node proposes for {@code command} on a log several nodes share: as
     * {@link #decide}, except that a heartbeat, update or deregistration of a record this node's
     * view does not have (yet) is proposed all the same. The view may lag behind the log; the
     * projector decides at the event's place whether it holds (and the client hears 404 if not).
     */
    public static Optional<List<RegistryEvent>> propose(RegistryView view, Command command, Instant time) {
        return switch (command) {
            case Command.Update c -> Optional.of(List.of(new ServiceUpdated(time, c.name(), c.changes())));
            case Command.Heartbeat c ->
                Optional.of(List.of(new HeartbeatReceived(time, c.name(), c.status(), c.cause())));
            case Command.Deregister c -> Optional.of(List.of(new ServiceDeregistered(time, c.name())));
            default -> decide(view, command, time);
        };
    }

    private static ServiceRegistered registered(RegistryView view, Command.Register c, Instant time) {
        boolean replaces = view.get(c.name()).isPresent();
        if (!replaces && view.size() >= c.recordLimit()) {
            throw new RecordLimitReachedException(c.recordLimit());
        }
        return new ServiceRegistered(
                time,
                new ServiceRecord(
                                c.name(),
                                c.host(),
                                c.port(),
                                c.hostname(),
                                c.url(),
                                c.status(),
                                c.timestamp() != null ? c.timestamp() : Timestamps.format(time),
                                Projector.epochSeconds(time),
                                ServiceRecord.HEALTH_UNKNOWN,
                                c.metadata())
                        .withSharedText(), // held for as long as the record lives, beside many like it
                replaces);
    }

    private static List<RegistryEvent> checkEvents(ServiceRecord record, Command.RecordCheck c, Instant time) {
        List<RegistryEvent> events = new ArrayList<>(2);
        if (!record.healthStatus().equals(c.healthStatus())) {
            events.add(
                    new HealthChecked(time, c.name(), record.healthStatus(), c.healthStatus(), c.detail(), c.cause()));
        }
        if (c.refreshHeartbeat() && ServiceRecord.HEALTH_HEALTHY.equals(c.healthStatus())) {
            events.add(new HeartbeatReceived(time, c.name(), null, HeartbeatReceived.CAUSE_PROBE));
        }
        return events;
    }
}
