package dev.registry.events.event;

import java.time.Instant;

/**
 * A fact the registry has recorded. Every change to the registry is one of these, appended to
 * the log before it is applied or acknowledged; the current view is a fold of them.
 *
 * <p>{@link #time()} is the server time at which the event was appended. The projector takes
 * all time from events, never from a clock, so replaying a log always gives the same view.
 */
public sealed interface RegistryEvent permits ServiceEvent, RegistryStarted, LeaseGranted {

    /** Server time at which the event was appended, truncated to microseconds. */
    Instant time();
}
