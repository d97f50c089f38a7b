package dev.registry.events.log;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.events.SampleEvents;
import dev.registry.events.event.RegistryEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleEventLogTest {

    @TempDir
    Path dir;

    @Test
    void appendedEventsReadBackInOrderWithIncreasingIndexes() {
        List<RegistryEvent> written = SampleEvents.randomHistory(7, 500);
        List<Long> indexes = new ArrayList<>();
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir)) {
            written.forEach(e -> indexes.add(log.append(e)));
        }
        for (int i = 1; i < indexes.size(); i++) {
            assertThat(indexes.get(i), greaterThan(indexes.get(i - 1)));
        }
        try (ChronicleEventLog log = ChronicleEventLog.openReadOnly(dir);
                EventReader reader = log.reader()) {
            for (int i = 0; i < written.size(); i++) {
                LoggedEvent e = reader.next();
                assertThat(e.index(), is(indexes.get(i)));
                assertThat(e.event(), is(written.get(i)));
            }
            assertThat(reader.next(), is(nullValue()));
        }
    }

    @Test
    void readerSeesEventsAppendedAfterItReachedTheEnd() {
        try (ChronicleEventLog writer = ChronicleEventLog.openForWriting(dir)) {
            writer.append(SampleEvents.oneOfEach().get(0));
            try (ChronicleEventLog readOnly = ChronicleEventLog.openReadOnly(dir);
                    EventReader reader = readOnly.reader()) {
                assertThat(reader.next().event(), is(SampleEvents.oneOfEach().get(0)));
                assertThat(reader.next(), is(nullValue()));
                long index = writer.append(SampleEvents.oneOfEach().get(1));
                assertThat(reader.next().index(), is(index));
            }
        }
    }

    @Test
    void seekAfterStartsBehindTheGivenIndex() {
        List<Long> indexes = new ArrayList<>();
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir)) {
            SampleEvents.oneOfEach().forEach(e -> indexes.add(log.append(e)));
            try (EventReader reader = log.reader()) {
                reader.seekAfter(indexes.get(3));
                assertThat(reader.next().index(), is(indexes.get(4)));
                reader.seekAfter(indexes.getLast());
                assertThat(reader.next(), is(nullValue()));
            }
        }
    }

    @Test
    void readOnlyOpenOfADirectoryWithoutLogFails() {
        IllegalArgumentException ex = assertThrows(
                IllegalArgumentException.class, () -> ChronicleEventLog.openReadOnly(dir.resolve("nothing-here")));
        assertThat(ex.getMessage().contains("no registry log"), is(true));
    }
}
