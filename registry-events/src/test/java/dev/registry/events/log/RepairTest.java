package dev.registry.events.log;

import dev.registry.events.event.ServiceDeregistered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

/** Repair cuts a damaged log back to its last good event, at the same indexes, and saves the damaged files. */
class RepairTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-01T00:10:00Z");

    /** Three hourly files of 50 events each. */
    private List<Long> write() {
        List<Long> indexes = new ArrayList<>();
        for (int h = 0; h < 3; h++) {
            Clock hour = Clock.fixed(T0.plusSeconds(3600L * h), ZoneOffset.UTC);
            try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir, false, RollPeriod.HOURLY, hour)) {
                for (int i = 0; i < 50; i++) {
                    indexes.add(log.append(new ServiceDeregistered(hour.instant(), "n" + h + "-" + i)));
                }
            }
        }
        return indexes;
    }

    @Test
    void aDirectoryWithoutALogHasNothingToRepair() throws IOException {
        ChronicleLogRepair.Repair repair = ChronicleLogRepair.repair(dir.resolve("new"), dir.resolve("saved"));
        assertThat(repair.damage(), is(nullValue()));
        assertThat(repair.eventsKept(), is(0L));
    }

    @Test
    void aWholeLogIsLeftAlone() throws IOException {
        List<Long> written = write();
        ChronicleLogRepair.Repair repair = ChronicleLogRepair.repair(dir, dir.resolve("saved"));
        assertThat(repair.damage(), is(nullValue()));
        assertThat(repair.eventsKept(), is(150L));
        assertThat(Files.exists(dir.resolve("saved")), is(false));
        assertThat(read(), is(written));
    }

    @Test
    void aPayloadCutShortEndsTheLogAtTheEventBefore() throws IOException {
        List<Long> written = write();
        truncate(1, 66_500); // inside the second file's events: Chronicle sees zeros where they were
        long damaged = FileChecksum.of(files().get(1));

        ChronicleLogRepair.Repair repair = ChronicleLogRepair.repair(dir, dir.resolve("saved"));

        assertThat(repair.damage(), containsString("does not decode"));
        List<Long> kept = read();
        assertThat(kept, is(written.subList(0, kept.size())));
        assertThat(repair.lastGoodIndex(), is(kept.getLast()));
        assertThat(kept.size() > 50 && kept.size() < 100, is(true));
        assertThat(FileChecksum.of(dir.resolve("saved").resolve(files().get(1).getFileName())), is(damaged));
        try (ChronicleEventLog log = ChronicleEventLog.openReadOnly(dir)) {
            assertThat(log.lastIndex(), is(kept.getLast()));
        }
    }

    @Test
    void aFileWhoseHeaderIsGoneHidesTheRestAndIsFound() throws IOException {
        write();
        truncate(0, 1_000);
        byte[] head = Files.readAllBytes(files().get(0));
        try (ChronicleEventLog log = ChronicleEventLog.openReadOnly(dir); EventReader reader = log.reader()) {
            IllegalStateException fault = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    reader::next); // read-only, the cut file faults: reported, not a crash
            assertThat(fault.getMessage(), containsString("shorter than the events it records"));
        }
        assertThat(Files.readAllBytes(files().get(0)), is(head)); // reading changed nothing
        ChronicleLogRepair.Repair repair = ChronicleLogRepair.repair(dir, dir.resolve("saved"));
        assertThat(repair.damage(), containsString("after index -1"));
        assertThat(read(), is(List.of()));
    }

    private List<Long> read() {
        List<Long> indexes = new ArrayList<>();
        try (ChronicleEventLog log = ChronicleEventLog.openReadOnly(dir); EventReader reader = log.reader()) {
            for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                indexes.add(e.index());
            }
        }
        return indexes;
    }


    private List<Path> files() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
        }
    }

    private void truncate(int file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(files().get(file), StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }
}
