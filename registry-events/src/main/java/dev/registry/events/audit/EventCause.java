package dev.registry.events.audit;

import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.LeaseGranted;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;

/** Who or what made an event happen, as history shows it. */
public final class EventCause {

    /** A client's request. */
    public static final String CLIENT = "client";
    /** The heartbeat TTL ran out. */
    public static final String TTL = "ttl";
    /** The record went stale. */
    public static final String STALE = "stale";
    /** A registry start. */
    public static final String RESTART = "restart";
    /** Nodes sharing a log handing time-driven work to one of them. */
    public static final String LEASE = "lease";

    private EventCause() {}

    public static String of(RegistryEvent event) {
        return switch (event) {
            case ServiceRegistered e -> CLIENT;
            case ServiceUpdated e -> CLIENT;
            case ServiceDeregistered e -> CLIENT;
            case HeartbeatReceived e -> e.cause();
            case HealthChecked e -> e.cause();
            case ServiceExpired e -> TTL;
            case ServiceEvicted e -> STALE;
            case RegistryStarted e -> RESTART;
            case LeaseGranted e -> LEASE;
        };
    }
}
