package dev.registry.events.snapshot;

import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.projection.RegistryView;
import java.util.Map;

/**
 * The state after the event at {@link #index()}: the view and the history index, so that a start
 * from it replays only the log after it and loses no history.
 *
 * @param index   log index of the last event the state includes
 * @param view    the view at that index
 * @param history where each service's history lies in the log: every name's timeline, already a
 *                copy (so taking a snapshot copies the history index once, not once per step)
 */
public record Snapshot(long index, RegistryView view, Map<String, HistoryIndex.Snapshot> history) {}
