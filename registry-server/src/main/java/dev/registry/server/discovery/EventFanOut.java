package dev.registry.server.discovery;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.registry.events.log.DamagedEventException;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.EventReader.IndexedEncodedEvent;
import dev.registry.server.http.DamagedLogReply;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands every new log event to all live event streams: one tailer (a platform thread, started
 * with the first subscriber) reads the log's end, woken at the end of each batch the view applied,
 * encodes each event's message once and queues the batch for each subscriber. It never waits on a
 * subscriber's client: one whose queue is full is dropped (its stream sends a {@code reset} and
 * closes), so the writer and the other streams never wait for a slow client.
 */
final class EventFanOut {

    private static final Logger LOG = Logger.getLogger(EventFanOut.class.getName());
    /**
     * A closed client shows only when a write fails (the first write after its close is taken, the
     * next fails): a comment every second frees an idle stream's subscription within two.
     */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);

    /** How long a dropped stream may stay blocked on a client that reads nothing before its socket is closed. */
    private static final Duration DROP_GRACE = Duration.ofSeconds(30);

    /** Streams woken at a time (see {@link #wakeAll}). */
    private static final int WAKE_SLICE = 16;

    /** The longest the tailer waits for a slice of woken streams to run before it wakes the next. */
    private static final Duration SLICE_BOUND = Duration.ofMillis(10);

    /** Most events queued in one delivery. */
    private static final int MAX_BATCH = 1024;

    /** What each subscriber adds to the pause between deliveries, and the longest pause. */
    private static final Duration LINGER_PER_SUBSCRIBER = Duration.ofNanos(10_000);

    private static final Duration MAX_LINGER = Duration.ofMillis(20);

    private final EventLog log;
    private final ViewChanges changes;
    private final EventCodec codec;
    private final int maxFrames;
    private final long maxBytes;
    private final Set<Subscription> subscribers = ConcurrentHashMap.newKeySet();
    private final PendingWakes wakes = new PendingWakes();
    private final ConcurrentLinkedQueue<Subscription> dropped = new ConcurrentLinkedQueue<>();
    private final Object starting = new Object();
    private Thread tailer;
    private volatile Runnable onDrop = () -> {};
    private volatile boolean broken;

    /** @param maxFrames, maxBytes the bound of each subscriber's queue */
    EventFanOut(EventLog log, ViewChanges changes, EventCodec codec, int maxFrames, long maxBytes) {
        this.log = log;
        this.changes = changes;
        this.codec = codec;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /** Runs {@code action} each time a subscriber is dropped for falling behind (for metrics). */
    void onDrop(Runnable action) {
        this.onDrop = action;
    }

    /**
     * Subscribes the calling stream to every event the tailer reads from now on (it may also hand
     * a few the stream read itself: the stream skips what it has seen). Empty when the fan-out
     * cannot serve (the log is damaged at its end, or the server stops): the stream then reads the
     * log itself.
     */
    Optional<Subscription> subscribe() throws InterruptedException {
        Subscription s = new Subscription(maxFrames, maxBytes, Thread.currentThread(), wakes);
        subscribers.add(s);
        CountDownLatch positioned = null;
        synchronized (starting) {
            if (broken || changes.isClosed()) {
                subscribers.remove(s);
                return Optional.empty();
            }
            if (tailer == null) {
                CountDownLatch latch = new CountDownLatch(1);
                positioned = latch;
                // a platform thread: the streams it wakes then queue for the carriers beside the
                // requests, not on the tailer's own carrier ahead of them (see wakeAll)
                tailer = Thread.ofPlatform()
                        .daemon()
                        .name("event-stream-fan-out")
                        .start(() -> tail(latch));
            }
        }
        if (positioned != null) {
            // the stream reads the log itself up to its end after this: the tailer must be there by then
            positioned.await();
        }
        return Optional.of(s);
    }

    void unsubscribe(Subscription s) {
        subscribers.remove(s);
        s.finish();
    }

    private void tail(CountDownLatch positioned) {
        try (EventReader reader = log.reader()) {
            reader.seekAtOrAfter(Long.MAX_VALUE);
            positioned.countDown();
            List<SseFrame> batch = new ArrayList<>();
            while (!changes.isClosed()) {
                long seen = changes.index(); // read before the log, so no append slips between
                IndexedEncodedEvent e = reader.nextEncoded();
                if (e != null) {
                    if (!subscribers.isEmpty()) {
                        batch.add(SseFrame.of(e, codec));
                    }
                    if (batch.size() < MAX_BATCH) {
                        continue;
                    }
                }
                if (!batch.isEmpty()) {
                    deliver(batch);
                    batch = new ArrayList<>();
                    pace();
                    continue; // look again before waiting: events may have come in meanwhile
                }
                dropped.removeIf(s -> s.interruptIfStuck(DROP_GRACE));
                if (changes.awaitAbove(seen, KEEP_ALIVE) <= seen) {
                    wakeAll(Subscription::keepAlive);
                }
            }
            endAll(null);
        } catch (DamagedEventException damaged) {
            // every stream says where, as a stream reading the log itself would; later ones meet it themselves
            DamagedLogReply.logOnce(damaged);
            broken = true;
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            message.writeBytes(("event: " + EventStream.DAMAGED + "\ndata: ").getBytes(UTF_8));
            message.writeBytes(DamagedLogReply.body(damaged));
            message.writeBytes("\n\n".getBytes(UTF_8));
            endAll(message.toByteArray());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            dropAll("the server's event fan-out stopped");
        } catch (RuntimeException failed) {
            if (!changes.isClosed()) {
                LOG.log(Level.WARNING, "event stream fan-out failed; streams are told to reconnect", failed);
            }
            dropAll("the server's event fan-out failed");
        } finally {
            positioned.countDown();
            synchronized (starting) {
                tailer = null; // the next subscriber starts another
            }
            // whoever subscribed while it was stopping reconnects to the next one
            dropAll("the server's event fan-out stopped");
        }
    }

    /** Queues a batch for every subscriber: one lock and at most one wake-up each, whatever its length. */
    private void deliver(List<SseFrame> batch) {
        wakeAll(s -> switch (s.offer(batch)) {
            case WOKE -> true;
            case QUEUED -> false;
            case DROPPED -> {
                subscribers.remove(s);
                dropped.add(s);
                onDrop.run();
                yield false;
            }
        });
    }

    /**
     * Calls {@code wake} on every subscriber (true when it woke a waiting stream), and after every
     * {@link #WAKE_SLICE} streams woken waits until they have run. A woken stream queues for a
     * carrier thread, and the carriers take their queues in order: woken all at once, 2,000
     * streams made a heartbeat arriving meanwhile wait for all their writes. Woken in slices, it
     * waits for at most a slice.
     */
    private void wakeAll(Predicate<Subscription> wake) {
        int woken = 0;
        for (Subscription s : subscribers) {
            if (wake.test(s) && ++woken % WAKE_SLICE == 0) {
                wakes.awaitAllRan(SLICE_BOUND);
            }
        }
    }

    /**
     * Lets events gather before the next delivery, longer with more subscribers: each delivery
     * wakes every stream, and on a small machine those wake-ups queue ahead of the writer's
     * requests for the same cores. With few streams it is a few microseconds.
     */
    private void pace() {
        long linger = Math.min(MAX_LINGER.toNanos(), subscribers.size() * LINGER_PER_SUBSCRIBER.toNanos());
        if (linger > 0) {
            LockSupport.parkNanos(linger);
        }
    }

    private void endAll(byte[] lastWords) {
        for (Subscription s : subscribers) {
            subscribers.remove(s);
            s.end(lastWords);
        }
    }

    private void dropAll(String reason) {
        for (Subscription s : subscribers) {
            subscribers.remove(s);
            s.drop(reason);
        }
    }
}
