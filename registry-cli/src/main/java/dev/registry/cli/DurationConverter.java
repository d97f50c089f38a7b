package dev.registry.cli;

import dev.registry.api.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads duration options as operators write them, see {@link Durations}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException ex) {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }
}
