package dev.registry.cli;

import java.util.Locale;
import picocli.CommandLine;

/** Reads switches written {@code on}/{@code off} (also {@code true}/{@code false}, {@code yes}/{@code no}). */
public final class OnOffConverter implements CommandLine.ITypeConverter<Boolean> {

    @Override
    public Boolean convert(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new CommandLine.TypeConversionException("'" + value + "' is not on or off");
        };
    }
}
