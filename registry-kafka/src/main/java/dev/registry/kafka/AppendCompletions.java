package dev.registry.kafka;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Completes the futures of asynchronous appends in the order the appends were sent, which on one
 * partition with an idempotent producer is the log's order, whatever order the producer's callbacks
 * come in. Futures complete on a thread of this class's own, so that what a caller chains onto them
 * never runs on (or blocks) the producer's network thread.
 */
final class AppendCompletions implements AutoCloseable {

    private final Queue<Pending> inSendOrder = new ConcurrentLinkedQueue<>();
    private final KafkaContact contact;
    private final ExecutorService completer;

    AppendCompletions(KafkaContact contact, String threadName) {
        this.contact = contact;
        this.completer = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name(threadName).daemon().factory());
    }

    /** Takes the next place in line; the caller sends the record right after, under the same lock. */
    Pending expect() {
        Pending pending = new Pending();
        inSendOrder.add(pending);
        return pending;
    }

    /** The producer's answer for {@code pending}: its metadata, or the failure. Called from any thread. */
    void answered(Pending pending, RecordMetadata metadata, Exception failure) {
        if (failure == null) {
            contact.heard();
            pending.offset = metadata.offset();
        } else {
            pending.failure = failure instanceof KafkaLogException known
                    ? known
                    : new KafkaLogException("Kafka did not acknowledge the event: " + failure.getMessage(), failure);
        }
        pending.answered = true;
        try {
            completer.execute(this::completeAnswered);
        } catch (RejectedExecutionException closed) {
            completeAnswered();
        }
    }

    private synchronized void completeAnswered() {
        Pending head;
        while ((head = inSendOrder.peek()) != null && head.answered) {
            inSendOrder.poll();
            if (head.failure == null) {
                head.future.complete(head.offset);
            } else {
                head.future.completeExceptionally(head.failure);
            }
        }
    }

    /** After the producer closed (so every send was answered): completes what is left, then stops the thread. */
    @Override
    public void close() {
        completer.shutdown();
        try {
            completer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        completeAnswered();
        Pending left;
        while ((left = inSendOrder.poll()) != null) {
            left.future.completeExceptionally(new KafkaLogException("the log was closed before Kafka answered"));
        }
    }

    /** One append waiting for its answer. */
    static final class Pending {
        private final CompletableFuture<Long> future = new CompletableFuture<>();
        private long offset;
        private KafkaLogException failure;
        private volatile boolean answered; // written after offset/failure, read before them

        CompletableFuture<Long> future() {
            return future;
        }
    }
}
