package dev.registry.server.write;

import dev.registry.server.rules.Command;

/**
 * Where the endpoints and the health scheduler send their commands: one node's single writer on
 * its own log, or a node of several on a shared one. Either way a command returns once its
 * events are in the log and applied to this node's view, and its result is true for the log's
 * order.
 */
public interface Writes {

    /**
     * Executes {@code command} and waits until its events are in the log and applied here.
     *
     * @throws WriteFailedException when the log refused the events (nothing was applied)
     * @throws dev.registry.server.rules.RecordLimitReachedException when a registration of a new
     *         name found the registry holding as many records as it may (nothing was appended)
     */
    WriteResult execute(Command command);

    /**
     * Whether the record {@code name} exists as of the log's end: on a shared log after this
     * node has caught up with it, so that a 404 is true at a place in the log.
     */
    boolean exists(String name);
}
