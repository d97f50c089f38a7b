package dev.registry.server.observe;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A value made on a thread of its own when {@link #start}ed, and what is done with it before it
 * exists: queued, then applied in order once it is made, before anything done with it directly.
 * The meters take a third of a second to set up, which a server would otherwise spend before its
 * port opens; with this, what the first requests record waits for them instead.
 *
 * @param <T> what is made
 */
final class Deferred<T> {

    private final String name;
    private final Supplier<T> maker;
    private final int maxQueued;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CompletableFuture<T> made = new CompletableFuture<>();
    private volatile T value;
    /** What waits for the value; null once it is made or could not be. Guarded by {@code this}. */
    private ArrayDeque<Consumer<T>> queued = new ArrayDeque<>();

    private long dropped;

    /**
     * @param name      the making thread's name
     * @param maker     makes the value (once)
     * @param maxQueued most uses kept while it is made; later ones are dropped (and counted)
     */
    Deferred(String name, Supplier<T> maker, int maxQueued) {
        this.name = name;
        this.maker = maker;
        this.maxQueued = maxQueued;
    }

    /** Starts making the value, on a daemon thread of its own; only the first call does. */
    void start() {
        if (started.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name(name).start(this::make);
        }
    }

    /** The value if it is made; null until then (the caller's fast path, without a lambda). */
    T now() {
        return value;
    }

    /** Does {@code use} with the value: now if it is made, else once it is (dropped if it cannot be). */
    void use(Consumer<T> use) {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    if (queued != null && queued.size() < maxQueued) {
                        queued.add(use);
                    } else {
                        dropped++;
                    }
                    return;
                }
            }
        }
        use.accept(v);
    }

    /**
     * The value, waiting up to {@code timeout} for it to be made.
     *
     * @throws IllegalStateException if it could not be made, or not within {@code timeout}
     */
    T await(Duration timeout) {
        try {
            return made.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException ex) {
            throw new IllegalStateException(name + " failed: " + ex.getCause(), ex.getCause());
        } catch (TimeoutException ex) {
            throw new IllegalStateException(name + " not ready after " + timeout.toMillis() + " ms", ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while waiting", ex);
        }
    }

    /** Uses dropped: more than {@code maxQueued} waited, or the value could not be made. */
    synchronized long dropped() {
        return dropped;
    }

    private void make() {
        T v;
        try {
            v = maker.get();
        } catch (RuntimeException | Error ex) {
            synchronized (this) {
                dropped += queued.size();
                queued = null;
            }
            made.completeExceptionally(ex);
            return;
        }
        // the queue is applied outside the lock, so users keep queueing meanwhile; the value is
        // published only when the queue is empty, so nothing done directly overtakes what waited
        while (true) {
            Consumer<T> next;
            synchronized (this) {
                next = queued.poll();
                if (next == null) {
                    queued = null;
                    value = v;
                    break;
                }
            }
            try {
                next.accept(v);
            } catch (RuntimeException ex) {
                synchronized (this) {
                    dropped++; // one use failed; the others still get the value
                }
            }
        }
        made.complete(v);
    }
}
