package dev.registry.server.discovery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One event stream's place in the {@link EventFanOut}: a bounded queue of the frames the tailer
 * handed it and the stream has not sent yet. The tailer never waits on it: a frame that does not
 * fit drops the subscription (the stream then tells its client to reconnect), so a stream that
 * stops reading holds at most {@code maxFrames} frames, or {@code maxBytes} bytes of them.
 */
final class Subscription {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<SseFrame> frames = new ArrayDeque<>();
    private final int maxFrames;
    private final long maxBytes;
    private final Thread stream;
    private final PendingWakes wakes;
    private long bytes;
    // written under the lock, read by the stream without it
    private volatile String dropReason;
    private volatile boolean ended;
    private volatile byte[] lastWords;
    private boolean finished;
    private boolean keepAliveDue;
    private long droppedAt;
    /** The stream waits in {@link #next} for something to send. */
    private boolean waiting;
    /** The stream was woken and counts in {@link #wakes} until it runs. */
    private boolean wakeCounted;

    /** What {@link #offer} did. */
    enum Offered {
        /** The subscription is dropped, by this batch or before. */
        DROPPED,
        /** Queued for a stream that is busy sending: it takes the batch when it is done. */
        QUEUED,
        /** Queued, and the stream, which was waiting, was woken (it counts in the wakes until it runs). */
        WOKE
    }

    /**
     * @param stream the thread that sends this stream, interrupted if it is stuck once dropped
     * @param wakes where a stream woken by {@link #offer} or {@link #keepAlive} counts until it runs
     */
    Subscription(int maxFrames, long maxBytes, Thread stream, PendingWakes wakes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.stream = stream;
        this.wakes = wakes;
    }

    /** Queues {@code batch}, waking the stream if it waits for frames. */
    Offered offer(List<SseFrame> batch) {
        lock.lock();
        try {
            if (dropReason != null || ended) {
                return Offered.DROPPED;
            }
            for (SseFrame frame : batch) {
                if (frames.size() >= maxFrames || bytes + frame.bytes().length > maxBytes) {
                    drop("the stream fell more than " + maxFrames + " events or " + maxBytes / 1024
                            + " KiB behind the log");
                    return Offered.DROPPED;
                }
                frames.addLast(frame);
                bytes += frame.bytes().length;
            }
            return wake() ? Offered.WOKE : Offered.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the subscription: what it queued is discarded, and its stream sends a reset. */
    void drop(String reason) {
        lock.lock();
        try {
            if (dropReason == null && !ended) {
                dropReason = reason;
                droppedAt = System.nanoTime();
                frames.clear();
                bytes = 0;
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** No frame follows those queued; the stream sends {@code lastWords} (when not null) after them. */
    void end(byte[] lastWords) {
        lock.lock();
        try {
            ended = true;
            this.lastWords = lastWords;
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next frame, waiting for one; null when the subscription is dropped or ended and has
     * nothing more (see {@link #dropReason}, {@link #ended}), or when a keep-alive is due.
     * The wait has no timeout of its own: the tailer calls for keep-alives, so thousands of
     * waiting streams set no timers.
     */
    SseFrame next() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (dropReason != null) {
                    return null;
                }
                SseFrame f = takeFirst();
                if (f != null) {
                    return f;
                }
                if (ended) {
                    return null;
                }
                if (keepAliveDue) {
                    keepAliveDue = false;
                    return null;
                }
                waiting = true;
                try {
                    arrived.await();
                } finally {
                    waiting = false;
                    ranIfWoken();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The next frame if one is queued, else null; never waits. */
    SseFrame poll() {
        lock.lock();
        try {
            if (dropReason != null) {
                return null;
            }
            return takeFirst();
        } finally {
            lock.unlock();
        }
    }

    private SseFrame takeFirst() {
        SseFrame f = frames.pollFirst();
        if (f != null) {
            bytes -= f.bytes().length;
        }
        return f;
    }

    /**
     * The log was quiet for a while: the stream sends a keep-alive comment if it is waiting.
     *
     * @return whether the stream was woken (it counts in the wakes until it runs)
     */
    boolean keepAlive() {
        lock.lock();
        try {
            keepAliveDue = true;
            return wake();
        } finally {
            lock.unlock();
        }
    }

    /** Signals the stream; true if it was waiting and now counts in the wakes. Under the lock. */
    private boolean wake() {
        arrived.signal();
        if (!waiting || wakeCounted) {
            return false;
        }
        wakeCounted = true;
        wakes.woke();
        return true;
    }

    /** Under the lock. */
    private void ranIfWoken() {
        if (wakeCounted) {
            wakeCounted = false;
            wakes.ran();
        }
    }

    /** Whether the stream waits in {@link #next} for something to send. */
    boolean waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** Why the subscription was dropped, or null while it is not. */
    String dropReason() {
        return dropReason;
    }

    boolean ended() {
        return ended;
    }

    /** What the stream sends last once the queue is empty, or null. */
    byte[] lastWords() {
        return lastWords;
    }

    /** The stream is done with this subscription (called by the stream's thread as it leaves). */
    void finish() {
        lock.lock();
        try {
            finished = true;
            frames.clear();
            ranIfWoken();
            Thread.interrupted(); // an interrupt meant for this stream must not reach the connection's next request
        } finally {
            lock.unlock();
        }
    }

    /**
     * Interrupts the stream's thread (which closes its socket) when it was dropped longer than
     * {@code grace} ago and is still blocked writing to a client that does not read.
     *
     * @return whether the stream is finished or was interrupted: nothing more to watch
     */
    boolean interruptIfStuck(Duration grace) {
        lock.lock();
        try {
            if (finished) {
                return true;
            }
            if (System.nanoTime() - droppedAt < grace.toNanos()) {
                return false;
            }
            stream.interrupt();
            return true;
        } finally {
            lock.unlock();
        }
    }
}
