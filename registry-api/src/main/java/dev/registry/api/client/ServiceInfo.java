package dev.registry.api.client;

import dev.registry.api.ServiceRecord;

/**
 * A record as the registry answered it.
 *
 * @param record  the stored record
 * @param healthy {@code is_healthy} as the server evaluated it when answering
 */
public record ServiceInfo(ServiceRecord record, boolean healthy) {

    public String name() {
        return record.name();
    }
}
