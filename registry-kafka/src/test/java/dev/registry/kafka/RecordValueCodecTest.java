package dev.registry.kafka;

import dev.registry.events.SampleEvents;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.log.ChronicleEventLog;
import dev.registry.events.log.EncodedEvent;
import dev.registry.events.log.EventCodec;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecordValueCodecTest {

    private final EventCodec codec = new EventCodec();

    @Test
    void aRecordValueHoldsTheSameBytesAsTheChronicleLogsExcerpt(@TempDir Path dir) {
        List<RegistryEvent> events = new ArrayList<>(SampleEvents.oneOfEach());
        events.addAll(SampleEvents.randomHistory(3, 200));
        try (ChronicleEventLog log = ChronicleEventLog.openForWriting(dir)) {
            events.forEach(log::append);
        }
        try (ChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).readOnly(true).build();
             ExcerptTailer tailer = queue.createTailer()) {
            for (RegistryEvent event : events) {
                try (DocumentContext excerpt = tailer.readingDocument()) {
                    assertThat(RecordValueCodec.encode(codec.encode(event)), equalTo(excerpt.wire().bytes().toByteArray()));
                }
            }
        }
    }

    @Test
    void aValueDecodesToTheEncodedEventItWasMadeOf() {
        for (RegistryEvent event : SampleEvents.oneOfEach()) {
            EncodedEvent encoded = codec.encode(event);
            EncodedEvent decoded = RecordValueCodec.decode(RecordValueCodec.encode(encoded));
            assertThat(decoded.type(), is(encoded.type()));
            assertThat(decoded.version(), is(encoded.version()));
            assertThat(decoded.timeMicros(), is(encoded.timeMicros()));
            assertThat(decoded.payload(), equalTo(encoded.payload()));
            assertThat(codec.decode(decoded), is(event));
        }
    }

    @Test
    void aValueThatIsNoEncodedEventIsRefused() {
        assertThat(assertThrows(IllegalStateException.class, () -> RecordValueCodec.decode(new byte[]{5, 'a'}))
                .getMessage(), containsString("not an encoded event"));
        assertThat(assertThrows(IllegalStateException.class, () -> RecordValueCodec.decode(null)).getMessage(),
                containsString("without a value"));
    }
}
