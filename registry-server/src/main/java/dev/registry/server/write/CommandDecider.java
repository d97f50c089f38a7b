package dev.registry.server.write;

import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;

import java.time.Instant;
import java.util.Optional;

/**
 * Decides which event a command produces against the current view, at a given time. Pure: the
 * same view, command and time always give the same answer. Empty means the command's record
 * does not exist (HTTP 404).
 */
public final class CommandDecider {

    private CommandDecider() {
    }

    public static Optional<RegistryEvent> decide(RegistryView view, Command command, Instant time) {
        return switch (command) {
            case Command.Register c -> Optional.of(new ServiceRegistered(time, new ServiceRecord(
                    c.name(), c.host(), c.port(), c.hostname(), c.url(), c.status(),
                    c.timestamp() != null ? c.timestamp() : ServerTime.format(time),
                    Projector.epochSeconds(time), ServiceRecord.HEALTH_UNKNOWN, c.metadata()),
                    view.get(c.name()).isPresent()));
            case Command.Update c -> view.get(c.name())
                    .map(r -> new ServiceUpdated(time, c.name(), c.changes()));
            case Command.Heartbeat c -> view.get(c.name())
                    .map(r -> new HeartbeatReceived(time, c.name(), c.status(), c.cause()));
            case Command.Deregister c -> view.get(c.name())
                    .map(r -> new ServiceDeregistered(time, c.name()));
            case Command.Start c -> Optional.of(new RegistryStarted(time, c.version(), c.config()));
        };
    }
}
