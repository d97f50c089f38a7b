package dev.registry.server.config;

/** Which log a node keeps ({@code --log}). */
public enum LogKind {
    /** The embedded Chronicle Queue in the data directory: one node, no other process. */
    CHRONICLE,
    /** A Kafka topic that several registry nodes share. */
    KAFKA
}
