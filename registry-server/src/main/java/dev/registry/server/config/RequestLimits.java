package dev.registry.server.config;

import dev.registry.cli.Defaults;

/**
 * How much a registration or update may carry; over a limit is a 400 or 413 naming the option.
 *
 * @param maxNameLength    longest service name, in characters
 * @param maxMetadataBytes largest {@code metadata}, as compact JSON
 * @param maxDepth         deepest nesting of arrays and objects in a body (metadata included)
 */
public record RequestLimits(int maxNameLength, long maxMetadataBytes, int maxDepth) {

    /** A DNS name's limit. */
    public static final int DEFAULT_MAX_NAME_LENGTH = Integer.parseInt(Defaults.MAX_NAME_LENGTH);
    /** As large as the default body: the fleet's clients sent metadata of any size the body allowed. */
    public static final long DEFAULT_MAX_METADATA_BYTES = dev.registry.cli.SizeConverter.parse(Defaults.MAX_METADATA);

    public static final int DEFAULT_MAX_DEPTH = Integer.parseInt(Defaults.MAX_DEPTH);
    /** Deeper nesting would risk the stack of whatever serializes the record (us, or a client). */
    public static final int HIGHEST_MAX_DEPTH = 1000;

    public static final RequestLimits DEFAULTS =
            new RequestLimits(DEFAULT_MAX_NAME_LENGTH, DEFAULT_MAX_METADATA_BYTES, DEFAULT_MAX_DEPTH);

    public RequestLimits {
        if (maxNameLength < 1) {
            throw new IllegalArgumentException("the name length limit must be at least 1");
        }
        if (maxMetadataBytes < 2) {
            throw new IllegalArgumentException("the metadata limit must be at least 2 bytes ({})");
        }
        if (maxDepth < 2 || maxDepth > HIGHEST_MAX_DEPTH) {
            throw new IllegalArgumentException("the depth limit must be between 2 and " + HIGHEST_MAX_DEPTH);
        }
    }
}
