package dev.registry.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    @Test
    void formatsMicrosecondsWithAnExplicitOffset() {
        assertThat(
                Timestamps.format(Instant.parse("2026-11-28T06:37:33.802243999Z")),
                equalTo("2026-11-28T06:37:33.802243+00:00"));
        assertThat(
                Timestamps.format(Instant.parse("2026-11-28T06:37:33Z")), equalTo("2026-11-28T06:37:33.000000+00:00"));
        assertThat(
                Timestamps.format(Instant.parse("1969-12-31T23:59:59.000001Z")),
                equalTo("1969-12-31T23:59:59.000001+00:00"));
    }

    @Test
    void agreesWithTheFormatterWithinOneSecondAndAcrossSecondsAndYears() {
        SplittableRandom random = new SplittableRandom(42);
        Instant base = Instant.parse("2026-12-01T13:59:59.999999Z");
        for (int i = 0; i < 20_000; i++) {
            Instant time = switch (i % 3) {
                case 0 -> base.plusNanos(random.nextLong(2_000_000_000L)); // same and next second
                case 1 ->
                    Instant.ofEpochSecond(
                            random.nextLong(-62_167_219_200L, 253_402_300_800L), random.nextInt(1_000_000_000));
                default ->
                    Instant.ofEpochSecond(
                            random.nextLong(-100_000_000_000_000L, 100_000_000_000_000L),
                            random.nextInt(1_000_000_000));
            };
            assertThat(time.toString(), Timestamps.format(time), equalTo(REFERENCE.format(time)));
        }
    }

    @Test
    void readsWhatItWrites() {
        Instant time = Instant.parse("2026-11-28T06:37:33.802243Z");
        assertThat(Timestamps.parse(Timestamps.format(time)), equalTo(time));
    }
}
