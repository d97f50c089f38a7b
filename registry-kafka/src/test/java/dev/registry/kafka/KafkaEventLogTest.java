package dev.registry.kafka;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.registry.events.SampleEvents;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceEvent;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.kafka.testkit.ReaderCatchUp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaEventLogTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    @Test
    void appendedEventsReadBackInOrderWithTheOffsetsAppendReturned() {
        List<RegistryEvent> written = SampleEvents.randomHistory(7, 500);
        try (KafkaEventLog log = KafkaEventLog.open(KAFKA.cluster().logSettings("node-a"));
                EventReader reader = log.reader()) {
            List<Long> offsets = new ArrayList<>();
            written.forEach(event -> offsets.add(log.append(event)));
            for (int i = 1; i < offsets.size(); i++) {
                assertThat(offsets.get(i), greaterThan(offsets.get(i - 1)));
            }
            List<LoggedEvent> read = ReaderCatchUp.readAtLeast(reader, written.size());
            assertThat(read.stream().map(LoggedEvent::index).toList(), equalTo(offsets));
            assertThat(read.stream().map(LoggedEvent::event).toList(), equalTo(written));
            assertThat(reader.next(), is(nullValue()));
            assertThat(log.firstIndex(), is(offsets.getFirst()));
            assertThat(log.lastIndex(), is(offsets.getLast()));
        }
    }

    @Test
    void anEmptyTopicHasNoFirstOrLastIndexAndItsReaderFindsNothing() {
        try (KafkaEventLog log = KafkaEventLog.open(KAFKA.cluster().logSettings("node-a"));
                EventReader reader = log.reader()) {
            assertThat(log.firstIndex(), is(-1L));
            assertThat(log.lastIndex(), is(-1L));
            assertThat(reader.next(), is(nullValue()));
            assertThat(reader.readAt(0), is(nullValue()));
        }
    }

    @Test
    void twoNodesAppendingAtOnceSeeOneOrderWithTheSameOffsets() throws Exception {
        KafkaLogSettings settings = KAFKA.cluster().logSettings("node-a");
        int perNode = 400;
        try (KafkaEventLog nodeA = KafkaEventLog.open(settings);
                KafkaEventLog nodeB = KafkaEventLog.open(settings.withNodeId("node-b"));
                EventReader readerA = nodeA.reader();
                EventReader readerB = nodeB.reader()) {
            ExecutorService writers = Executors.newFixedThreadPool(2);
            CountDownLatch start = new CountDownLatch(1);
            Future<Map<Long, RegistryEvent>> fromA = writers.submit(() -> appendAll(nodeA, "a", perNode, start));
            Future<Map<Long, RegistryEvent>> fromB = writers.submit(() -> appendAll(nodeB, "b", perNode, start));
            start.countDown();
            Map<Long, RegistryEvent> acknowledged = new TreeMap<>(fromA.get());
            acknowledged.putAll(fromB.get());
            writers.shutdown();

            List<LoggedEvent> seenByA = ReaderCatchUp.readAtLeast(readerA, 2 * perNode);
            List<LoggedEvent> seenByB = ReaderCatchUp.readAtLeast(readerB, 2 * perNode);
            assertThat(seenByA, equalTo(seenByB));
            assertThat(acknowledged.size(), is(2 * perNode));
            List<LoggedEvent> expected = acknowledged.entrySet().stream()
                    .map(entry -> new LoggedEvent(entry.getKey(), entry.getValue()))
                    .toList();
            assertThat(seenByA, equalTo(expected));
            // interleaved, not one node's appends after the other's
            long switches = 0;
            for (int i = 1; i < seenByA.size(); i++) {
                if (nameOf(seenByA.get(i)).charAt(0)
                        != nameOf(seenByA.get(i - 1)).charAt(0)) {
                    switches++;
                }
            }
            assertThat(switches, greaterThan(1L));
        }
    }

    @Test
    void asynchronousAppendsCompleteInLogOrder() {
        try (KafkaEventLog log = KafkaEventLog.open(KAFKA.cluster().logSettings("node-a"))) {
            List<Long> completionOrder = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                futures.add(log.appendAsync(beat("svc-" + i, i))
                        .whenComplete((offset, failure) -> completionOrder.add(offset)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
            List<Long> offsets = futures.stream().map(CompletableFuture::join).toList();
            assertThat(completionOrder, equalTo(offsets));
            for (int i = 1; i < offsets.size(); i++) {
                assertThat(offsets.get(i), is(offsets.get(i - 1) + 1));
            }
        }
    }

    @Test
    void seekAfterStartsBehindTheGivenIndexAndRefusesAnIndexTheLogDoesNotHold() {
        try (KafkaEventLog log = KafkaEventLog.open(KAFKA.cluster().logSettings("node-a"));
                EventReader reader = log.reader()) {
            List<Long> indexes =
                    SampleEvents.oneOfEach().stream().map(log::append).toList();
            reader.seekAfter(indexes.get(3));
            assertThat(ReaderCatchUp.readAtLeast(reader, 1).getFirst().index(), is(indexes.get(4)));
            reader.seekAfter(indexes.getLast());
            assertThat(reader.next(), is(nullValue()));
            assertThrows(IllegalArgumentException.class, () -> reader.seekAfter(indexes.getLast() + 1));
            assertThrows(IllegalArgumentException.class, () -> reader.seekAfter(-1));
        }
    }

    @Test
    void seekAtOrAfterResumesAtAnIndexOrTheNextOneAndWaitsAtTheEndPastTheLast() {
        try (KafkaEventLog log = KafkaEventLog.open(KAFKA.cluster().logSettings("node-a"));
                EventReader reader = log.reader()) {
            List<Long> indexes =
                    SampleEvents.oneOfEach().stream().map(log::append).toList();
            reader.seekAtOrAfter(indexes.get(5));
            assertThat(ReaderCatchUp.readAtLeast(reader, 1).getFirst().index(), is(indexes.get(5)));
            reader.seekAtOrAfter(-5);
            assertThat(ReaderCatchUp.readAtLeast(reader, 1).getFirst().index(), is(indexes.getFirst()));
            reader.seekAtOrAfter(indexes.getLast() + 1_000);
            assertThat(reader.next(), is(nullValue()));
            long next = log.append(SampleEvents.oneOfEach().getFirst());
            assertThat(ReaderCatchUp.readAtLeast(reader, 1).getFirst().index(), is(next));
        }
    }

    @Test
    void readAtFindsTheEventAtAnIndexAndNothingOutsideTheLog() {
        List<RegistryEvent> events = SampleEvents.oneOfEach();
        try (KafkaEventLog log = KafkaEventLog.open(KAFKA.cluster().logSettings("node-a"));
                EventReader reader = log.reader()) {
            List<Long> indexes = events.stream().map(log::append).toList();
            EventReader.IndexedEncodedEvent third = reader.readAt(indexes.get(2));
            assertThat(third, is(notNullValue()));
            assertThat(third.index(), is(indexes.get(2)));
            assertThat(new EventCodec().decode(third.encoded()), is(events.get(2)));
            assertThat(ReaderCatchUp.readAtLeast(reader, 1).getFirst().index(), is(indexes.get(3))); // readAt moved it
            assertThat(reader.readAt(indexes.getLast() + 1), is(nullValue()));
            assertThat(reader.readAt(-1), is(nullValue()));
        }
    }

    @Test
    void aReaderAtTheEndSeesEventsAppendedLaterByAnotherNode() {
        KafkaLogSettings settings = KAFKA.cluster().logSettings("node-a");
        try (KafkaEventLog reading = KafkaEventLog.open(settings);
                KafkaEventLog writing = KafkaEventLog.open(settings.withNodeId("node-b"));
                EventReader reader = reading.reader()) {
            writing.append(SampleEvents.oneOfEach().get(0));
            assertThat(
                    ReaderCatchUp.readAtLeast(reader, 1).getFirst().event(),
                    is(SampleEvents.oneOfEach().get(0)));
            assertThat(reader.next(), is(nullValue()));
            long index = writing.append(SampleEvents.oneOfEach().get(1));
            assertThat(ReaderCatchUp.readAtLeast(reader, 1).getFirst().index(), is(index));
        }
    }

    @Test
    void aNewReaderOnAFullTopicReadsItToTheEndWithoutStoppingAtAnEmptyFirstPoll() {
        // A poll this short comes back empty before Kafka has answered the reader's first fetch;
        // a reader that took that for the end made `replay` on Kafka print "0 events".
        KafkaLogSettings settings = KAFKA.cluster().logSettings("node-a").withPollTimeout(Duration.ofMillis(1));
        List<RegistryEvent> written = SampleEvents.randomHistory(11, 50);
        try (KafkaEventLog log = KafkaEventLog.open(settings)) {
            written.forEach(log::append);
            for (int round = 0; round < 3; round++) {
                try (EventReader reader = log.reader()) {
                    List<RegistryEvent> read = new ArrayList<>();
                    for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                        read.add(e.event());
                    }
                    assertThat(read, equalTo(written));
                    reader.seekAtOrAfter(log.firstIndex());
                    assertThat(reader.next().event(), is(written.getFirst()));
                }
            }
        }
    }

    @Test
    void recordsAreKeyedByServiceNameAndNameTheNodeThatAppendedThem() {
        KafkaLogSettings settings = KAFKA.cluster().logSettings("node-7");
        List<RegistryEvent> events = SampleEvents.oneOfEach();
        try (KafkaEventLog log = KafkaEventLog.open(settings)) {
            events.forEach(log::append);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            TopicPartition partition = new TopicPartition(settings.topic(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                return records.size() >= events.size();
            });
            for (int i = 0; i < events.size(); i++) {
                ConsumerRecord<byte[], byte[]> record = records.get(i);
                String expectedKey = events.get(i) instanceof ServiceEvent service ? service.name() : null;
                assertThat(
                        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                        is(expectedKey));
                assertThat(
                        new String(
                                record.headers()
                                        .lastHeader(KafkaEventLog.NODE_HEADER)
                                        .value(),
                                StandardCharsets.UTF_8),
                        is("node-7"));
            }
        }
    }

    @Test
    void contactIsFreshWhileKafkaAnswersEvenWithoutTraffic() {
        KafkaLogSettings settings =
                KAFKA.cluster().logSettings("node-a").withContactProbeInterval(Duration.ofMillis(100));
        try (KafkaEventLog log = KafkaEventLog.open(settings)) {
            Instant opened = log.contact().last().orElseThrow();
            assertThat(log.contact().isRecent(Duration.ofSeconds(5)), is(true));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> log.contact().last().orElseThrow().isAfter(opened));
            assertThat(log.contact().isRecent(Duration.ZERO), is(false));
        }
    }

    @Test
    void aClosedLogRefusesAppendsAndClosesItsReaders() {
        KafkaEventLog log = KafkaEventLog.open(KAFKA.cluster().logSettings("node-a"));
        EventReader reader = log.reader();
        log.close();
        assertThrows(
                KafkaLogException.class,
                () -> log.append(SampleEvents.oneOfEach().getFirst()));
        assertThrows(KafkaLogException.class, reader::next);
        reader.close();
    }

    private static Map<Long, RegistryEvent> appendAll(KafkaEventLog log, String prefix, int count, CountDownLatch start)
            throws InterruptedException {
        start.await();
        Map<Long, RegistryEvent> acknowledged = new HashMap<>();
        Map<RegistryEvent, CompletableFuture<Long>> pending = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            RegistryEvent event = beat(prefix + "-" + i, i);
            if (i % 50 == 0) {
                acknowledged.put(log.append(event), event); // synchronous appends mixed in
            } else {
                pending.put(event, log.appendAsync(event));
            }
        }
        pending.forEach((event, offset) -> acknowledged.put(offset.join(), event));
        return acknowledged;
    }

    private static HeartbeatReceived beat(String name, int i) {
        return new HeartbeatReceived(
                Instant.parse("2026-05-01T00:00:00Z").plusMillis(i), name, null, HeartbeatReceived.CAUSE_CLIENT);
    }

    private static String nameOf(LoggedEvent event) {
        return ((ServiceEvent) event.event()).name();
    }
}
