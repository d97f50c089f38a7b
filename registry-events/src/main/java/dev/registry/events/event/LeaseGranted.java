package dev.registry.events.event;

import java.time.Instant;

/**
 * A registry node holds the lease for time-driven events (expiries, evictions, check results)
 * until {@code until}. On a log several nodes share, only the holder appends those, and only
 * events of its lease's epoch take effect, so two nodes never act on the same silence.
 *
 * <p>Taken when the previous lease ran out by this event's time ({@code epoch} one more than
 * it), renewed by its holder before then (same epoch, later {@code until}), and released by its
 * holder on a clean stop ({@code until} = {@code time}). Any other grant loses, at its place in
 * the log, to the lease already there.
 *
 * @param time   append time (the proposing node's clock)
 * @param holder the node's id ({@code --node-id})
 * @param epoch  1 for the first lease, one more for each lease taken over
 * @param until  the end of the lease
 */
public record LeaseGranted(Instant time, String holder, long epoch, Instant until) implements RegistryEvent {}
