package dev.registry.server.write;

import dev.registry.api.ServiceRecord;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.observe.RegistryMetrics;
import dev.registry.server.rules.Command;
import dev.registry.server.rules.CommandDecider;
import dev.registry.server.rules.RecordLimitReachedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The single writer: one thread takes commands in arrival order, decides their events against
 * the view, appends each to the log and then applies it, and only then completes the caller's
 * request. So every acknowledged write is in the log, and the view is always a prefix of the log.
 *
 * <p>Deciding and applying on the same thread means a command always sees the effect of every
 * command before it (a heartbeat after a delete gets 404), with no locks on the read path.
 */
public final class RegistryWriter implements Writes, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RegistryWriter.class.getName());

    private static final int INBOX_CAPACITY = 65_536;
    private static final int DRAIN_BATCH = 256;
    /** How long a stop waits for the queued writes, and then again for the writer to end after refusing the rest. */
    public static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final EventLog log;
    private final RegistryView view;
    private final Projection projection;
    private final SyncPolicy sync;
    private final DiskGuard disk;
    private final Clock clock;
    private volatile RegistryMetrics metrics = RegistryMetrics.NONE;
    private final BlockingQueue<Pending> inbox = new ArrayBlockingQueue<>(INBOX_CAPACITY);
    private final Thread thread;
    private volatile boolean running = true;
    /** Set when a stop's wait ran out: what is still queued is refused, a sweep stops between its events. */
    private volatile boolean abandoned;
    /** Set once the writer thread takes no more commands (it stopped). */
    private volatile boolean takesNoMore;
    /** What stopped the writer thread, if anything did; then every command is refused at once. */
    private volatile Throwable broken;

    private Instant lastTime;
    /** Time the current batch's appends (and fsyncs) took so far (its thread only). */
    private long batchAppendNanos;

    /** Events appended since this writer started (written by its thread only). */
    private volatile long appendedCount;

    /**
     * @param view       the view commands are decided against
     * @param projection applies each appended event: the view's projector first, then the rest
     * @param notBefore  time of the last event already in the log; new events are never older
     * @param sync       when appended events are forced to disk before they are acknowledged
     */
    public RegistryWriter(
            EventLog log, RegistryView view, Projection projection, Clock clock, Instant notBefore, SyncPolicy sync) {
        this(log, view, projection, clock, notBefore, sync, new DiskGuard(() -> Long.MAX_VALUE, 0));
    }

    /** @param disk refuses writes while free space is low */
    public RegistryWriter(
            EventLog log,
            RegistryView view,
            Projection projection,
            Clock clock,
            Instant notBefore,
            SyncPolicy sync,
            DiskGuard disk) {
        this.disk = disk;
        this.sync = sync;
        this.log = log;
        this.view = view;
        this.projection = projection;
        this.clock = clock;
        this.lastTime = notBefore;
        this.thread = Thread.ofPlatform().name("registry-writer").daemon(false).unstarted(this::run);
        thread.start();
    }

    /**
     * Executes {@code command} and waits until its event is in the log and applied.
     *
     * @throws WriteFailedException        when the log refused the event (nothing was applied)
     * @throws RecordLimitReachedException when a new name found the registry full (nothing was appended)
     */
    @Override
    public WriteResult execute(Command command) {
        if (!running) {
            throw new WriteFailedException("the registry is shutting down", null);
        }
        if (broken != null) {
            throw new WriteFailedException("the writer stopped: " + broken, broken);
        }
        Pending pending = new Pending(command, new CompletableFuture<>());
        try {
            inbox.put(pending);
            Throwable stopped = broken;
            if (stopped != null) {
                // the writer stopped after the check above: it sets this before it fails what is
                // queued, so a command queued after that is failed here (no timed wait per write)
                pending.result.completeExceptionally(
                        new WriteFailedException("the writer stopped: " + stopped, stopped));
            }
            if (takesNoMore) {
                pending.result.completeExceptionally(stoppedBeforeThisWrite()); // the same for a stop
            }
            return pending.result.get();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new WriteFailedException("interrupted while waiting for the log", ex);
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof WriteFailedException wfe) {
                throw wfe;
            }
            if (ex.getCause() instanceof RecordLimitReachedException refused) {
                throw refused;
            }
            throw new WriteFailedException("the log refused the write: " + ex.getCause(), ex.getCause());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(DRAIN_BATCH);
        try {
            takeCommands(batch);
            // as with broken: set before the last look at the queue, read by a caller after its put
            takesNoMore = true;
            for (Pending p = inbox.poll(); p != null; p = inbox.poll()) {
                p.result.completeExceptionally(stoppedBeforeThisWrite()); // only when a stop abandoned the queue
            }
        } catch (Throwable fatal) {
            // never leave a caller waiting for an answer that will not come: fail them, and refuse
            // every later command at once instead of queueing it
            broken = fatal;
            LOG.log(System.Logger.Level.ERROR, "the writer stopped; every write is refused from now on", fatal);
            WriteFailedException refused = new WriteFailedException("the writer stopped: " + fatal, fatal);
            batch.forEach(p -> p.result.completeExceptionally(refused));
            for (Pending p = inbox.poll(); p != null; p = inbox.poll()) {
                p.result.completeExceptionally(refused);
            }
        }
    }

    private void takeCommands(List<Pending> batch) {
        while ((running || !inbox.isEmpty()) && !abandoned) {
            try {
                Pending first = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                inbox.drainTo(batch, DRAIN_BATCH - 1);
                List<Runnable> acknowledgements = new ArrayList<>(batch.size());
                batchAppendNanos = 0;
                boolean appended = false;
                for (Pending p : batch) {
                    appended |= handle(p, acknowledgements);
                }
                if (appended) {
                    projection.endOfBatch(view.lastIndex()); // one wake-up for the batch's watchers
                }
                if (appended && sync == SyncPolicy.BATCH) {
                    long t0 = System.nanoTime();
                    forceToDisk(batch, acknowledgements); // group commit: one fsync, then every ack
                    batchAppendNanos += System.nanoTime() - t0;
                }
                if (appended) {
                    metrics.batchAppended(batchAppendNanos);
                }
                acknowledgements.forEach(Runnable::run);
                batch.clear();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Decides, appends and applies one command, and adds how to acknowledge it to
     * {@code acknowledgements} (run once the batch is as durable as the policy asks).
     *
     * @return whether it appended anything
     */
    private boolean handle(Pending pending, List<Runnable> acknowledgements) {
        try {
            if (abandoned) {
                throw stoppedBeforeThisWrite();
            }
            Optional<List<RegistryEvent>> decided = CommandDecider.decide(view, pending.command, nextTime());
            if (decided.isEmpty()) {
                WriteResult notFound = new WriteResult(true, List.of(), Optional.empty(), view.lastIndex());
                acknowledgements.add(() -> pending.result.complete(notFound));
                return false;
            }
            List<LoggedEvent> appended = new ArrayList<>(decided.get().size());
            if (!decided.get().isEmpty()) {
                disk.check();
            }
            for (RegistryEvent event : decided.get()) {
                if (abandoned && pending.command instanceof Command.Sweep) {
                    // a sweep's events stand alone, and the records left are due again at the next start
                    break;
                }
                long t0 = System.nanoTime();
                LoggedEvent logged = new LoggedEvent(log.append(event), event);
                batchAppendNanos += System.nanoTime() - t0;
                metrics.appended(EventCodec.typeOf(event));
                appendedCount++;
                projection.apply(logged);
                appended.add(logged);
            }
            if (!appended.isEmpty() && sync == SyncPolicy.ALWAYS) {
                long t0 = System.nanoTime();
                log.sync();
                batchAppendNanos += System.nanoTime() - t0;
            }
            WriteResult result = new WriteResult(
                    false,
                    appended,
                    recordOf(pending.command),
                    appended.isEmpty() ? view.lastIndex() : appended.getLast().index());
            acknowledgements.add(() -> pending.result.complete(result));
            return !appended.isEmpty();
        } catch (WriteFailedException | RecordLimitReachedException ex) {
            acknowledgements.add(() -> pending.result.completeExceptionally(ex));
            return false;
        } catch (RuntimeException ex) {
            acknowledgements.add(() -> pending.result.completeExceptionally(
                    new WriteFailedException("the log refused the write: " + ex.getMessage(), ex)));
            return false;
        }
    }

    /** Forces the batch to disk; if that fails, nobody in it is told their write succeeded. */
    private void forceToDisk(List<Pending> batch, List<Runnable> acknowledgements) {
        try {
            log.sync();
        } catch (RuntimeException ex) {
            acknowledgements.clear();
            for (Pending p : batch) {
                acknowledgements.add(() -> p.result.completeExceptionally(
                        new WriteFailedException("the log could not be forced to disk: " + ex.getMessage(), ex)));
            }
        }
    }

    private Optional<ServiceRecord> recordOf(Command command) {
        return switch (command) {
            case Command.Register c -> view.get(c.name());
            case Command.Update c -> view.get(c.name());
            case Command.Heartbeat c -> view.get(c.name());
            case Command.Deregister c -> Optional.empty();
            case Command.RecordCheck c -> view.get(c.name());
            case Command.Start c -> Optional.empty();
            case Command.Sweep c -> Optional.empty();
        };
    }

    /**
     * Event times never go backwards, even if the wall clock does, so the log stays ordered by
     * time as well as by index.
     */
    private Instant nextTime() {
        Instant now = EventCodec.truncate(clock.instant());
        if (now.isBefore(lastTime)) {
            now = lastTime;
        }
        lastTime = now;
        return now;
    }

    /** With one writer the view is the log's end. */
    @Override
    public boolean exists(String name) {
        return view.get(name).isPresent();
    }

    /** Records each append into {@code recorder}; set before the first command. */
    public RegistryWriter recordInto(RegistryMetrics recorder) {
        this.metrics = recorder;
        return this;
    }

    /** Commands waiting for the writer. */
    public int queueDepth() {
        return inbox.size();
    }

    /** What stopped the writer thread, if anything did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(broken);
    }

    /** Events appended since this writer started. */
    public long appendedCount() {
        return appendedCount;
    }

    private static WriteFailedException stoppedBeforeThisWrite() {
        return new WriteFailedException("the registry stopped before this write", null);
    }

    /** Stops as {@link #stop(Duration)} does, with {@link #STOP_WAIT}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Stops as {@link #stop(Duration)} does, with {@link #STOP_WAIT}.
     *
     * @return whether the writer's thread has ended (only then may the log be closed)
     */
    public boolean stop() {
        return stop(STOP_WAIT);
    }

    /**
     * Stops taking commands and finishes the queued ones, waiting up to {@code finishQueued} for
     * them. Past that, what is still queued is refused (never acknowledged) and a sweep stops
     * between two of its events, and the writer gets as long again to end.
     *
     * @return whether the writer's thread has ended. Only then may the log be closed: Chronicle
     *     unmaps a closed queue's files, and an append still running would write into memory
     *     that is no longer mapped (the JVM dies, and the event is torn).
     */
    public boolean stop(Duration finishQueued) {
        running = false;
        try {
            thread.join(finishQueued);
            if (thread.isAlive()) {
                abandoned = true;
                thread.join(finishQueued);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private record Pending(Command command, CompletableFuture<WriteResult> result) {}
}
