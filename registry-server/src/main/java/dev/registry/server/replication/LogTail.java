package dev.registry.server.replication;

import dev.registry.api.ServiceRecord;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceEvent;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.EventReader.IndexedEncodedEvent;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A node's one projection thread on a shared log: it reads every event in the log's order, from
 * where this node's state stands, and applies it to the view and its projections with the same
 * pure projector as every other node, so that every node ends in the same state. For each event
 * it keeps the {@link Outcome} this node's writers wait for, and between events it runs the few
 * decisions that must see the view and its projections still (a sweep's).
 */
final class LogTail implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LogTail.class.getName());
    /** Most events applied before the watchers are woken and tasks run. */
    private static final int BATCH = 1024;

    private final EventReader reader;
    private final Projection.OnView projection;
    private final RegistryView view;
    private final Outcomes outcomes = new Outcomes();
    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final EventCodec codec = new EventCodec();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    /** @param reader positioned at the first event this node's state does not hold yet */
    LogTail(EventReader reader, Projection.OnView projection, RegistryView view) {
        this.reader = reader;
        this.projection = projection;
        this.view = view;
        this.outcomes.appliedThrough(view.lastIndex());
        this.thread = Thread.ofPlatform().name("registry-log-tail").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    Outcomes outcomes() {
        return outcomes;
    }

    /** Why the tail stopped, if it did (a damaged or deleted log); then this node serves no more writes. */
    Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Runs {@code task} on the tail's thread, between two events, and returns its result. */
    <T> CompletableFuture<T> submit(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Waits until the view reaches {@code index}; false if {@code max} passed first. */
    boolean awaitApplied(long index, Duration max) throws InterruptedException {
        try {
            outcomes.await(index, max);
            return true;
        } catch (Outcomes.OutcomeUnknownException ex) {
            return outcomes.applied() >= index;
        }
    }

    private void run() {
        try {
            while (running) {
                int applied = 0;
                for (IndexedEncodedEvent e = reader.nextEncoded(); e != null; e = reader.nextEncoded()) {
                    apply(e);
                    // a batch ends with what the reader had at hand, so writers hear at once
                    if (++applied == BATCH || reader.atBatchEnd() || !tasks.isEmpty() || !running) {
                        break;
                    }
                }
                if (applied > 0) {
                    projection.endOfBatch(view.lastIndex());
                    outcomes.appliedThrough(view.lastIndex());
                }
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    task.run();
                }
            }
        } catch (Throwable fatal) {
            failure = fatal;
            LOG.log(
                    Level.ERROR,
                    "the log can no longer be read; this node serves what it has and takes no writes",
                    fatal);
        } finally {
            outcomes.close();
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                task.run();
            }
        }
    }

    private void apply(IndexedEncodedEvent e) {
        RegistryEvent event = codec.decode(e.encoded());
        LoggedEvent logged = new LoggedEvent(e.index(), event);
        boolean effective = projection.offer(logged);
        Optional<ServiceRecord> after = event instanceof ServiceEvent se ? view.get(se.name()) : Optional.empty();
        outcomes.record(new Outcome(logged, effective, after));
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        reader.close();
        outcomes.close();
    }
}
