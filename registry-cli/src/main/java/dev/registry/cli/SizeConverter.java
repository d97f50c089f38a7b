package dev.registry.cli;

import dev.registry.api.Sizes;
import picocli.CommandLine;

/** Reads byte sizes: a plain number of bytes, or with a binary unit ({@code 512KiB}, {@code 1MiB}); see {@link Sizes}. */
public final class SizeConverter implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    public static long parse(String value) {
        try {
            return Sizes.parse(value);
        } catch (IllegalArgumentException ex) {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }
}
