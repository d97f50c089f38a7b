package dev.registry.kafka;

import dev.registry.events.log.DamagedEventException;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventFrame;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import java.time.Duration;
import java.util.Collections;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Reads the log's partition with a consumer of its own, assigned the partition (no consumer group, no
 * committed offsets: the position is the reader's alone). {@link #next()} waits at most a short poll when
 * the reader has reached the end, and longer while Kafka has said that events lie ahead or has not yet
 * answered a fetch since the reader was placed (a first short poll can come back empty on a topic full
 * of events: a reader's {@code null} must mean the end, or a tool reads "no events").
 */
final class KafkaReader implements EventReader {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final TopicPartition partition;
    private final Duration pollTimeout;
    private final Duration catchUpTimeout;
    private final KafkaContact contact;
    private final EventCodec codec;
    private final Consumer<KafkaReader> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Iterator<ConsumerRecord<byte[], byte[]>> buffered = Collections.emptyIterator();
    private boolean placed; // Kafka answered a fetch since the last seek: the lag is known
    private final EventFrame frame = new EventFrame();

    KafkaReader(
            KafkaConsumer<byte[], byte[]> consumer,
            TopicPartition partition,
            Duration pollTimeout,
            Duration catchUpTimeout,
            KafkaContact contact,
            EventCodec codec,
            Consumer<KafkaReader> onClose) {
        this.consumer = consumer;
        this.partition = partition;
        this.pollTimeout = pollTimeout;
        this.catchUpTimeout = catchUpTimeout;
        this.contact = contact;
        this.codec = codec;
        this.onClose = onClose;
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
    }

    @Override
    public LoggedEvent next() {
        ConsumerRecord<byte[], byte[]> record = nextRecord();
        return record == null
                ? null
                : new LoggedEvent(record.offset(), codec.decode(encoded(record).encoded()));
    }

    @Override
    public IndexedEncodedEvent nextEncoded() {
        ConsumerRecord<byte[], byte[]> record = nextRecord();
        return record == null ? null : encoded(record);
    }

    @Override
    public void seekAfter(long index) {
        if (!bounds().contains(index)) {
            throw new IllegalArgumentException("no event at index " + index);
        }
        seek(index + 1);
    }

    @Override
    public void seekAtOrAfter(long index) {
        OffsetRange bounds = bounds();
        // Never past the end: Kafka would answer a fetch there with "out of range".
        seek(Math.max(bounds.first(), Math.min(index, bounds.end())));
    }

    @Override
    public IndexedEncodedEvent readAt(long index) {
        if (!bounds().contains(index)) {
            return null;
        }
        seek(index);
        long deadline = System.nanoTime() + catchUpTimeout.toNanos();
        while (!buffered.hasNext() && System.nanoTime() < deadline) {
            poll(pollTimeout);
        }
        ConsumerRecord<byte[], byte[]> record = buffered.hasNext() ? buffered.next() : null;
        return record != null && record.offset() == index ? encoded(record) : null;
    }

    @Override
    public boolean atBatchEnd() {
        return !buffered.hasNext();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            consumer.close();
            onClose.accept(this);
        }
    }

    /** The log is closing: stops a poll in progress on another thread, which then closes the consumer. */
    void closeFromLog() {
        if (closed.compareAndSet(false, true)) {
            consumer.wakeup();
            try {
                consumer.close();
            } catch (ConcurrentModificationException inUse) {
                // the reading thread is inside the consumer; it meets the wake-up and closes it
            }
        }
    }

    private ConsumerRecord<byte[], byte[]> nextRecord() {
        if (!buffered.hasNext()) {
            poll(pollTimeout);
            long deadline = System.nanoTime() + catchUpTimeout.toNanos();
            while (!buffered.hasNext() && !endReached() && System.nanoTime() < deadline) {
                poll(pollTimeout);
            }
        }
        return buffered.hasNext() ? buffered.next() : null;
    }

    /**
     * Whether the last fetch's answer said the partition holds nothing past the position (no call to
     * Kafka). Before the first answer since a seek the lag is unknown: not the end. Once known, a lag
     * that Kafka has not yet answered again is the last one heard, so a cut-off reader is not held up.
     */
    private boolean endReached() {
        OptionalLong lag = consumer.currentLag(partition);
        if (lag.isEmpty()) {
            return placed;
        }
        placed = true;
        return lag.getAsLong() == 0;
    }

    private void poll(Duration timeout) {
        ensureOpen();
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(timeout);
        } catch (OffsetOutOfRangeException ex) {
            throw new KafkaLogException(
                    "the events of topic '" + partition.topic() + "' from offset "
                            + ex.offsetOutOfRangePartitions().get(partition)
                            + " on are no longer in Kafka (deleted by the topic's retention?)",
                    ex);
        } catch (WakeupException ex) {
            closeAfterWakeUp();
            throw new KafkaLogException("the log was closed while reading", ex);
        } catch (KafkaException ex) {
            throw new KafkaLogException("cannot read topic '" + partition.topic() + "': " + ex.getMessage(), ex);
        }
        if (!records.isEmpty()) {
            contact.heard();
            buffered = records.records(partition).iterator();
        }
    }

    private void seek(long offset) {
        ensureOpen();
        consumer.seek(partition, offset);
        buffered = Collections.emptyIterator();
        placed = false;
    }

    private OffsetRange bounds() {
        ensureOpen();
        try {
            long first = consumer.beginningOffsets(List.of(partition), catchUpTimeout)
                    .get(partition);
            long end = consumer.endOffsets(List.of(partition), catchUpTimeout).get(partition);
            contact.heard();
            return new OffsetRange(first, end);
        } catch (KafkaException ex) {
            throw new KafkaLogException(
                    "cannot ask Kafka for the offsets of topic '" + partition.topic() + "': " + ex.getMessage(), ex);
        }
    }

    /** The record's value is an event's checksummed frame; a damaged one is never handed out. */
    private IndexedEncodedEvent encoded(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value();
        try {
            if (value == null) {
                throw new DamagedEventException("a record without a value");
            }
            frame.read(value, 0, value.length, 0);
            return new IndexedEncodedEvent(record.offset(), frame.encoded(), frame.writer());
        } catch (DamagedEventException ex) {
            throw ex.at(record.offset(), "topic '" + partition.topic() + "'");
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            closeAfterWakeUp();
            throw new KafkaLogException("the reader is closed");
        }
    }

    private void closeAfterWakeUp() {
        try {
            consumer.close();
        } catch (IllegalStateException alreadyClosed) {
            // closed by the log's thread already
        }
    }
}
