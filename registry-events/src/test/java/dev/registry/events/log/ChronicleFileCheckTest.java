package dev.registry.events.log;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.ServiceDeregistered;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file check reads Chronicle's layout of today's version: whole logs pass, each kind of damage
 * to a file is one line, found in milliseconds rather than after Chronicle's wait.
 */
class ChronicleFileCheckTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:10:00Z");

    @TempDir
    Path dir;

    /** Three hourly files of 50 events each. */
    private void write() {
        for (int h = 0; h < 3; h++) {
            Clock hour = Clock.fixed(T0.plusSeconds(3600L * h), ZoneOffset.UTC);
            try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir, false, RollPeriod.HOURLY, hour)) {
                for (int i = 0; i < 50; i++) {
                    log.append(new ServiceDeregistered(hour.instant(), "n" + h + "-" + i));
                }
            }
        }
    }

    @Test
    void wholeLogsPassAlsoPastChroniclesIndexBlocks() {
        write();
        assertThat(ChronicleFileCheck.find(dir), is(empty()));
        Path big = dir.resolve("big");
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(big)) {
            for (int i = 0; i < 1_100_000; i++) { // past the first block of Chronicle's index
                log.append(new HeartbeatReceived(T0, "svc-" + (i % 1000), null, "client"));
            }
            assertThat(ChronicleFileCheck.find(big), is(empty())); // also while the writer has it open
        }
        assertThat(ChronicleFileCheck.find(big), is(empty()));
    }

    @Test
    void emptiedZeroedAndCutHeadersAreFound() throws IOException {
        write();
        assertThat(problemAfter(() -> FileBytes.truncate(rolls().get(2), 0)), is("empty (0 bytes)"));
        write3();
        assertThat(
                problemAfter(() -> FileBytes.truncate(rolls().get(2), 100)),
                containsString("cut short to 100 bytes, inside its header"));
        write3();
        assertThat(
                problemAfter(() -> FileBytes.truncate(rolls().get(2), 4096)),
                containsString("cut short to 4096 bytes"));
        write3();
        assertThat(
                problemAfter(() -> FileBytes.zero(rolls().get(2), 0, 4096)),
                containsString("first 4096 bytes are zeroed"));
    }

    @Test
    void aHiddenOrUnfinishedLastEventIsFound() throws IOException {
        write();
        Path newest = rolls().get(2);
        long last = lastExcerpt(newest);
        assertThat(problemAfter(() -> FileBytes.flip(newest, last + 3, 0x40)), containsString("marked as metadata"));
        FileBytes.flip(newest, last + 3, 0x40);
        assertThat(problemAfter(() -> FileBytes.flip(newest, last + 3, 0x80)), containsString("marked unfinished"));
    }

    @Test
    void aMissingNewestFileOrMetadataIsFound() throws IOException {
        write();
        Files.delete(rolls().get(2));
        List<ChronicleFileCheck.Damage> missing = ChronicleFileCheck.find(dir);
        assertThat(
                missing.getFirst().describe(),
                is("20261101-02F.cq4: missing: it is the newest roll file metadata.cq4t records"));
        assertThat(missing.getFirst().blocksReading(), is(true)); // Chronicle trips over a listed file that is gone

        Files.delete(dir.resolve(ChronicleFileCheck.METADATA));
        assertThat(
                ChronicleFileCheck.find(dir).getFirst().describe(),
                containsString("metadata.cq4t: missing, while 2 roll file(s) remain"));
    }

    @Test
    void aZeroedMetadataFileIsFoundAtOnce() throws IOException {
        write();
        Path metadata = dir.resolve(ChronicleFileCheck.METADATA);
        FileBytes.zero(metadata, 0, (int) Files.size(metadata));
        DamagedLogException refused = assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(5),
                () -> assertThrows(DamagedLogException.class, () -> ChronicleEventLog.openReadOnly(dir)));
        assertThat(refused.getMessage(), containsString("metadata.cq4t: its first 4096 bytes are zeroed"));
        assertThrows(DamagedLogException.class, () -> ChronicleEventLog.openForWriting(dir));
    }

    private interface Damage {
        void apply() throws IOException;
    }

    private String problemAfter(Damage damage) throws IOException {
        damage.apply();
        List<ChronicleFileCheck.Damage> found = ChronicleFileCheck.find(dir);
        assertThat(found.size(), is(1));
        assertThrows(DamagedLogException.class, () -> ChronicleEventLog.openForWriting(dir));
        return found.getFirst().problem();
    }

    private void write3() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        write();
    }

    private List<Path> rolls() {
        return ChronicleFileCheck.rollFiles(dir);
    }

    /** The byte position of the last excerpt's header: after the 50th excerpt of 4-byte-aligned events. */
    private static long lastExcerpt(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long last = -1;
        // the events of a new file start at this position in today's layout (after the header and index)
        for (int pos = 0x10110; ; ) {
            int word = all.getInt(pos);
            if (word == 0) {
                return last;
            }
            last = pos;
            pos = (pos + 4 + (word & 0x3FFF_FFFF) + 3) & ~3;
        }
    }
}
