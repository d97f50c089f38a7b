package dev.registry.tools;

import dev.registry.api.Sizes;
import picocli.CommandLine;

/** Reads byte-size options ({@code 51200}, {@code 512KiB}, {@code 32MiB}), see {@link Sizes}. */
public final class SizeOption implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        try {
            return Sizes.parse(value);
        } catch (IllegalArgumentException | ArithmeticException ex) {
            throw new CommandLine.TypeConversionException(ex.getMessage());
        }
    }
}
