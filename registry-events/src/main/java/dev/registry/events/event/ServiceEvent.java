package dev.registry.events.event;

/** An event about one service record, keyed by its name. */
public sealed interface ServiceEvent extends RegistryEvent
        permits ServiceRegistered,
                ServiceUpdated,
                HeartbeatReceived,
                ServiceDeregistered,
                HealthChecked,
                ServiceExpired,
                ServiceEvicted {

    /** The name of the record the event is about. */
    String name();
}
