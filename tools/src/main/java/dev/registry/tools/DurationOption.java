package dev.registry.tools;

import dev.registry.api.Durations;
import picocli.CommandLine;

import java.time.Duration;

/** Reads duration options ({@code 500ms}, {@code 30s}, {@code 5m}), see {@link Durations}. */
public final class DurationOption implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException ex) {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }
}
