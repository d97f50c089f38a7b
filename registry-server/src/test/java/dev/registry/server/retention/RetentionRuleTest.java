package dev.registry.server.retention;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.registry.events.log.ChronicleEventLog.RollFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which files may go: old enough, not being written, and covered by a snapshot; oldest first. */
class RetentionRuleTest {

    private static final Instant DAY0 = Instant.parse("2026-11-01T00:00:00Z");
    private final List<RollFile> files = List.of(day(0), day(1), day(2), day(3), day(5));
    private final RetentionRule sevenDays = new RetentionRule(Duration.ofDays(7));

    @Test
    void filesWhollyOlderThanTheRetentionGo() {
        Instant now = DAY0.plus(Duration.ofDays(10)).plusSeconds(1); // cutoff: day 3 plus 1 s
        assertThat(cycles(sevenDays.due(files, 5, 5, now)), is(List.of(0, 1, 2)));
    }

    @Test
    void nothingGoesBeforeASnapshotLiesInALaterFile() {
        Instant now = DAY0.plus(Duration.ofDays(30));
        assertThat(cycles(sevenDays.due(files, 30, 2, now)), is(List.of(0, 1)));
        assertThat(cycles(sevenDays.due(files, 30, -1, now)), is(List.of()));
    }

    @Test
    void theFileBeingWrittenStaysAndZeroKeepsEverything() {
        Instant now = DAY0.plus(Duration.ofDays(30));
        assertThat(cycles(sevenDays.due(files, 3, 99, now)), is(List.of(0, 1, 2)));
        assertThat(cycles(new RetentionRule(Duration.ZERO).due(files, 30, 99, now)), is(List.of()));
    }

    private static RollFile day(int n) {
        Instant start = DAY0.plus(Duration.ofDays(n));
        return new RollFile(n, Path.of("day" + n + ".cq4"), start, start.plus(Duration.ofDays(1)));
    }

    private static List<Integer> cycles(List<RollFile> due) {
        return due.stream().map(RollFile::cycle).toList();
    }
}
