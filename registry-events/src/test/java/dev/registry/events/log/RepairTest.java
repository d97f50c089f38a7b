package dev.registry.events.log;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.registry.events.event.ServiceDeregistered;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Repair copies what is readable of a damaged log, at the same indexes, and saves the damaged files. */
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
        assertThat(ChronicleLogRepair.setAsideDamagedFiles(dir.resolve("new"), dir.resolve("saved")), is(List.of()));
        ChronicleLogRepair.Kept kept = ChronicleLogRepair.copy(dir.resolve("new"), dir.resolve("copy"), Set.of());
        assertThat(kept.damage(), is(nullValue()));
        assertThat(kept.eventsKept(), is(0L));
    }

    @Test
    void aWholeLogIsCopiedWhole() throws IOException {
        List<Long> written = write();
        assertThat(ChronicleLogRepair.setAsideDamagedFiles(dir, dir.resolve("saved")), is(List.of()));
        ChronicleLogRepair.Kept kept = ChronicleLogRepair.copy(dir, dir.resolve("copy"), Set.of());
        assertThat(kept.damage(), is(nullValue()));
        assertThat(kept.eventsKept(), is(150L));
        assertThat(Files.exists(dir.resolve("saved")), is(false));
        assertThat(read(dir.resolve("copy")), is(written));
    }

    @Test
    void aFileCutShortKeepsEveryEventBeforeTheCut() throws IOException {
        List<Long> written = write();
        truncate(1, 66_500); // inside the second file's events
        long damaged = FileChecksum.of(files().get(1));
        assertThat(ChronicleFileCheck.find(dir).getFirst().problem(), containsString("cut short to 66500 bytes"));

        ChronicleLogRepair.setAsideDamagedFiles(dir, dir.resolve("saved")); // readable up to the cut: left in place
        ChronicleLogRepair.Kept kept = ChronicleLogRepair.copy(dir, dir.resolve("copy"), Set.of());
        ChronicleLogRepair.replaceLog(dir, dir.resolve("copy"), dir.resolve("saved"));

        // the last page of the cut reads as zeros (the checksum fails), a read past it faults
        assertThat(kept.damage(), anyOf(containsString("checksum mismatch"), containsString("unreadable entry")));
        List<Long> read = read(dir);
        assertThat(read, is(written.subList(0, read.size())));
        assertThat(kept.lastKept(), is(read.getLast()));
        assertThat(read.size() > 50 && read.size() < 100, is(true));
        assertThat(FileChecksum.of(dir.resolve("saved").resolve(files().get(1).getFileName())), is(damaged));
        try (ChronicleEventLog log = ChronicleEventLog.openReadOnly(dir)) {
            assertThat(log.lastIndex(), is(read.getLast()));
        }
    }

    @Test
    void aFileWhoseHeaderIsGoneIsSetAsideAndNothingAfterItIsKept() throws IOException {
        List<Long> written = write();
        truncate(1, 100);
        DamagedLogException refused = org.junit.jupiter.api.Assertions.assertThrows(
                DamagedLogException.class, () -> ChronicleEventLog.openReadOnly(dir));
        assertThat(refused.getMessage(), containsString("20261101-01F.cq4: cut short to 100 bytes, inside its header"));

        List<ChronicleFileCheck.Damage> damage = ChronicleLogRepair.setAsideDamagedFiles(dir, dir.resolve("saved"));
        assertThat(damage.getFirst().blocksReading(), is(true));
        assertThat(Files.exists(dir.resolve("saved").resolve("20261101-01F.cq4")), is(true));
        ChronicleLogRepair.Kept kept = ChronicleLogRepair.copy(dir, dir.resolve("copy"), Set.of("20261101-01F.cq4"));
        assertThat(kept.damage(), containsString("20261101-01F.cq4 before index"));
        assertThat(read(dir.resolve("copy")), is(written.subList(0, 50)));
    }

    @Test
    void aLogReadsOnFromAnIndexWhenEverythingAfterItReads() throws IOException {
        List<Long> written = write();
        assertThat(ChronicleLogRepair.damageAfter(dir, written.get(120)), is(java.util.Optional.empty()));
        truncate(2, 66_500);
        assertThat(ChronicleLogRepair.damageAfter(dir, written.get(120)).orElseThrow(), containsString("cut short"));
        assertThat(ChronicleLogRepair.damageAfter(dir, written.get(20)).orElseThrow(), containsString("cut short"));
    }

    private List<Long> read(Path log) {
        List<Long> indexes = new ArrayList<>();
        try (ChronicleEventLog l = ChronicleEventLog.openReadOnly(log);
                EventReader reader = l.reader()) {
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
        FileBytes.truncate(files().get(file), size);
    }
}
