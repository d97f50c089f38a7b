package dev.registry.api.watch;

import dev.registry.api.ServiceRecord;

/** Told about every change to a {@link ServiceWatcher}'s copy, on the watcher's thread. */
public interface WatchListener {

    default void added(ServiceRecord record) {}

    /** Any field changed, heartbeats ({@code last_heartbeat}) included. */
    default void changed(ServiceRecord before, ServiceRecord after) {}

    default void removed(ServiceRecord record) {}
}
