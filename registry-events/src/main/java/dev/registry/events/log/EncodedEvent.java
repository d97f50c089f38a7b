package dev.registry.events.log;

/**
 * An event as stored in the log: header fields and the JSON payload bytes.
 *
 * @param type       stable type name, e.g. {@code registered}
 * @param version    schema version of the payload
 * @param timeMicros append time, epoch microseconds
 * @param payload    UTF-8 JSON object with the type's fields
 */
public record EncodedEvent(String type, int version, long timeMicros, byte[] payload) {}
