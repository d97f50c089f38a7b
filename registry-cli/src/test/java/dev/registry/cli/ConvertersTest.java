package dev.registry.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The forms options take on both command lines. */
class ConvertersTest {

    @Test
    void durationsAsOperatorsWriteThem() {
        DurationConverter d = new DurationConverter();
        assertThat(d.convert("500ms"), is(Duration.ofMillis(500)));
        assertThat(d.convert("120s"), is(Duration.ofSeconds(120)));
        assertThat(d.convert("7d"), is(Duration.ofDays(7)));
        assertThrows(CommandLine.TypeConversionException.class, () -> d.convert("120"));
    }

    @Test
    void sizesInBytesOrBinaryUnits() {
        assertThat(new SizeConverter().convert("1MiB"), is(1L << 20));
        assertThat(new SizeConverter().convert("512KiB"), is(512L << 10));
        assertThat(new SizeConverter().convert("4096"), is(4096L));
        assertThrows(CommandLine.TypeConversionException.class, () -> new SizeConverter().convert("lots"));
    }

    @Test
    void switchesOnOffOrTrueFalse() {
        OnOffConverter s = new OnOffConverter();
        assertThat(s.convert("on"), is(true));
        assertThat(s.convert("FALSE"), is(false));
        assertThrows(CommandLine.TypeConversionException.class, () -> s.convert("maybe"));
    }
}
