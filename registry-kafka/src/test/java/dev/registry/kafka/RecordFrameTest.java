package dev.registry.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.events.SampleEvents;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.log.DamagedEventException;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.EventReader.IndexedEncodedEvent;
import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.kafka.testkit.ReaderCatchUp;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A record's value is the event's checksummed frame, as the Chronicle log stores it: every event
 * reads back with its writer, and a value whose bytes changed is refused naming its offset.
 */
class RecordFrameTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    private final EventCodec codec = new EventCodec();

    @Test
    void eventsReadBackWholeAndEachNodeIsAWriterOfItsOwn() {
        KafkaLogSettings settings = KAFKA.cluster().logSettings("a");
        try (KafkaEventLog a = KafkaEventLog.open(settings);
                KafkaEventLog b = KafkaEventLog.open(settings.withNodeId("b"));
                EventReader reader = a.reader()) {
            List<RegistryEvent> events = SampleEvents.oneOfEach();
            for (RegistryEvent e : events) {
                a.append(e);
            }
            b.append(events.getFirst());
            List<IndexedEncodedEvent> read = ReaderCatchUp.readEncodedAtLeast(reader, events.size() + 1);
            for (int i = 0; i < events.size(); i++) {
                assertThat(codec.decode(read.get(i).encoded()), is(events.get(i)));
            }
            assertThat(read.get(0).writer(), is(read.get(1).writer()));
            assertThat(read.getLast().writer(), not(is(read.get(0).writer())));
        }
    }

    @Test
    void aValueWhoseBytesChangedIsRefusedNamingItsOffset() {
        KafkaLogSettings settings = KAFKA.cluster().logSettings("a");
        try (KafkaEventLog log = KafkaEventLog.open(settings);
                EventReader reader = log.reader()) {
            log.append(SampleEvents.oneOfEach().getFirst());
            byte[] frame = dev.registry.events.log.EventFrame.encode(
                    codec.encode(SampleEvents.oneOfEach().getFirst()), 7, 0);
            frame[frame.length / 2] ^= 0x10;
            try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            KAFKA.cluster().bootstrapServers()),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(settings.topic(), 0, null, frame)).get();
            } catch (Exception ex) {
                throw new AssertionError(ex);
            }
            assertThat(ReaderCatchUp.readEncodedAtLeast(reader, 1).size(), is(1));
            DamagedEventException damage = assertThrows(DamagedEventException.class, () -> {
                for (int i = 0; i < 100; i++) {
                    reader.nextEncoded();
                }
            });
            assertThat(damage.getMessage(), containsString("checksum mismatch"));
            assertThat(damage.index(), is(1L));
        }
    }
}
