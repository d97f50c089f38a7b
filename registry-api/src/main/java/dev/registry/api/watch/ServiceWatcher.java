package dev.registry.api.watch;

import dev.registry.api.ServiceRecord;
import dev.registry.api.client.ListQuery;
import dev.registry.api.client.RegistryClient;
import dev.registry.api.client.RegistryClient.EventStreamConnection;
import dev.registry.api.client.RegistryException;
import dev.registry.api.client.RegistryUnavailableException;
import dev.registry.api.client.ServiceInfo;
import dev.registry.api.client.ServiceList;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A local, always-current copy of the registry for routers.
 *
 * <p>It takes the list once, then follows the event stream from the list's index, applying each
 * event as the server does, so a change reaches it within milliseconds and costs one small message
 * instead of a poll of the whole list. When the stream breaks (network, registry restart) it
 * reconnects with exponential backoff, takes the list again and resumes; when the registry has no
 * event stream it falls back to blocking queries. Listeners hear of every added, changed and
 * removed record, on the watcher's own thread.
 */
public final class ServiceWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ServiceWatcher.class.getName());

    private final RegistryClient client;
    private final WatchListener listener;
    private final Duration heartbeatTtl;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private final Map<String, ServiceRecord> records = new ConcurrentHashMap<>();
    private final Set<String> expired = ConcurrentHashMap.newKeySet();
    private final WireFold fold = new WireFold(records, expired);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    private volatile long index = -1;
    /** Set once the first list is in (an index alone cannot tell: an empty log's is -1, as is a server's without one). */
    private volatile boolean ready;

    private volatile boolean closed;
    private volatile boolean streamSupported = true;
    private volatile EventStreamConnection connection;
    /** Why the last attempt to sync failed, for the error of a start that never got a list. */
    private volatile RuntimeException lastFailure;

    private Thread thread;

    private ServiceWatcher(Builder b) {
        this.client = b.client;
        this.listener = b.listener;
        this.heartbeatTtl = b.heartbeatTtl;
        this.minBackoff = b.minBackoff;
        this.maxBackoff = b.maxBackoff;
        this.clock = b.clock;
    }

    public static Builder builder(RegistryClient client) {
        return new Builder(client);
    }

    /** Settings of a watcher. */
    public static final class Builder {
        private final RegistryClient client;
        private WatchListener listener = new WatchListener() {};
        private Duration heartbeatTtl = Duration.ofSeconds(120);
        private Duration minBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(10);
        private Duration readyTimeout = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();

        private Builder(RegistryClient client) {
            this.client = client;
        }

        public Builder listener(WatchListener l) {
            this.listener = l;
            return this;
        }

        /** The registry's heartbeat TTL, for {@link #isHealthy}. */
        public Builder heartbeatTtl(Duration ttl) {
            this.heartbeatTtl = ttl;
            return this;
        }

        /** Reconnect backoff: starts at {@code min}, doubles up to {@code max}. */
        public Builder backoff(Duration min, Duration max) {
            this.minBackoff = min;
            this.maxBackoff = max;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /**
         * How long {@link #start()} waits for the first list (default 10 s). {@code Duration.ZERO}:
         * return at once and load it in the background (then see {@link ServiceWatcher#awaitReady}).
         */
        public Builder readyTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("the ready timeout must not be negative");
            }
            this.readyTimeout = timeout;
            return this;
        }

        /**
         * Builds and starts the watcher, and returns once its local copy holds the registry's list,
         * so the first lookup already sees the fleet.
         *
         * @throws RegistryUnavailableException when no list arrived within the {@link #readyTimeout}
         *         (the watcher is closed then)
         */
        public ServiceWatcher start() {
            ServiceWatcher w = new ServiceWatcher(this);
            w.thread = Thread.ofVirtual().name("registry-watcher").start(w::run);
            if (readyTimeout.isZero()) {
                return w;
            }
            boolean ready;
            try {
                ready = w.awaitReady(readyTimeout);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                w.close();
                throw new RegistryUnavailableException("interrupted while waiting for the registry's list", ex);
            }
            if (!ready) {
                RuntimeException last = w.lastFailure;
                w.close();
                throw new RegistryUnavailableException(
                        "no list from the registry within " + readyTimeout.toMillis() + " ms"
                                + (last == null ? "" : ": " + last.getMessage()),
                        last);
            }
            return w;
        }
    }

    /** The record of that name in the local copy. */
    public Optional<ServiceRecord> get(String name) {
        return Optional.ofNullable(records.get(name));
    }

    /** A copy of the local view, by name. */
    public Map<String, ServiceRecord> snapshot() {
        return Map.copyOf(records);
    }

    /** The log index the local copy reflects, or -1 before the first sync. */
    public long index() {
        return index;
    }

    /** Healthy now, as the registry defines it: running, heartbeat within the TTL, not expired. */
    public boolean isHealthy(ServiceRecord record) {
        double now = WireFold.epochSeconds(clock.instant());
        return !expired.contains(record.name()) && record.isHealthyAt(now, heartbeatTtl.toNanos() / 1e9);
    }

    /** The healthy records of the local copy. */
    public List<ServiceRecord> healthyRecords() {
        List<ServiceRecord> healthy = new ArrayList<>();
        for (ServiceRecord r : records.values()) {
            if (isHealthy(r)) {
                healthy.add(r);
            }
        }
        return healthy;
    }

    /**
     * Waits until the local copy holds the registry's list (at once when it does already); false
     * if {@code max} passed first. {@link Builder#start()} does this for you unless told not to.
     */
    public boolean awaitReady(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        lock.lock();
        try {
            while (!ready) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progressed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the local copy holds the registry's list (it has synced at least once). */
    public boolean isReady() {
        return ready;
    }

    /** Waits until the local copy reflects {@code atLeast}; false if {@code max} passed first. */
    public boolean awaitIndex(long atLeast, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        lock.lock();
        try {
            while (index < atLeast) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                progressed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        Duration backoff = minBackoff;
        while (!closed) {
            try {
                resync();
                backoff = minBackoff;
                if (streamSupported) {
                    follow();
                } else {
                    pollBlocking();
                }
            } catch (RegistryException ex) {
                lastFailure = ex;
                if (closed) {
                    return;
                }
                if (streamSupported && (ex.status() == 404 || ex.status() == 405)) {
                    LOG.log(System.Logger.Level.INFO, "registry has no event stream; using blocking queries");
                    streamSupported = false;
                    continue;
                }
                LOG.log(System.Logger.Level.DEBUG, "registry watch interrupted, retrying: " + ex.getMessage());
                sleep(jittered(backoff));
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            } catch (RuntimeException ex) {
                lastFailure = ex;
                if (closed) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "registry watch failed, retrying", ex);
                sleep(jittered(backoff));
            }
        }
    }

    /** Takes the whole list and makes the local copy equal to it. */
    private void resync() {
        ServiceList list = client.list();
        Map<String, ServiceRecord> fresh = new HashMap<>();
        for (ServiceInfo s : list.services()) {
            fresh.put(s.name(), s.record());
        }
        for (ServiceRecord old : List.copyOf(records.values())) {
            if (!fresh.containsKey(old.name())) {
                records.remove(old.name());
                expired.remove(old.name());
                listener.removed(old);
            }
        }
        fresh.forEach((name, record) -> {
            ServiceRecord before = records.put(name, record);
            if (before == null) {
                listener.added(record);
            } else if (!before.equals(record)) {
                listener.changed(before, record);
            }
        });
        ready = true;
        advance(list.index());
    }

    private void follow() {
        EventStreamConnection stream = client.openEventStream(index);
        connection = stream;
        try (stream) {
            if (closed) {
                return;
            }
            stream.forEach(e -> {
                if (fold.apply(e.data(), listener) == WireFold.Outcome.UNKNOWN_TYPE) {
                    resync(); // an event this client does not know: trust the server's list instead
                }
                advance(e.index());
            });
        }
    }

    private void pollBlocking() {
        while (!closed) {
            ServiceList list = client.list(ListQuery.all().blockingAfter(index, Duration.ofMinutes(5)));
            if (list.index() != index) {
                resync();
            }
        }
    }

    private void advance(long newIndex) {
        lock.lock();
        try {
            index = newIndex;
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static Duration jittered(Duration d) {
        long nanos = d.toNanos();
        return Duration.ofNanos(nanos - nanos / 5 + ThreadLocalRandom.current().nextLong(Math.max(1, 2 * nanos / 5)));
    }

    private void sleep(Duration d) {
        try {
            TimeUnit.NANOSECONDS.sleep(d.toNanos());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Stops watching; the local copy stays as it was. */
    @Override
    public void close() {
        closed = true;
        EventStreamConnection c = connection;
        if (c != null) {
            c.close();
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
