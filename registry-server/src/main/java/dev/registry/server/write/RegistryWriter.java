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
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single writer: commands are taken in arrival order, one at a time, each decided against
 * the view, appended to the log and then applied, and only then is the caller's request
 * completed. So every acknowledged write is in the log, and the view is always a prefix of the log.
 *
 * <p>With {@code --fsync none} (the default) there is no writer thread: a caller queues its
 * command and, if no other caller is writing, takes the writer's turn (a lock) and writes
 * everything queued, its own command and those of the callers that queued behind it, in batches,
 * before it lets go. A caller that finds the turn taken waits for its result; the holder sees its
 * command, because it looks at the queue again after letting go. Handing each command to a
 * thread of its own cost two thread wake-ups per write, a sixth of a heartbeat's CPU on two
 * cores; a turn that is free costs nothing.
 *
 * <p>When appends are forced to disk ({@code batch}, {@code always}) the turns are taken by a
 * thread of the writer's own instead, woken by each command: a request's thread would wait in the
 * fsyncs (holding one of the few carrier threads of the virtual threads), and the caller holding
 * the turn would answer its own request only once the queue ran dry, which under a steady load of
 * fsyncs it seldom does (p99 110-190 ms against 6-11 ms, and a sixth fewer writes with
 * {@code batch}).
 *
 * <p>Deciding and applying in one turn at a time means a command always sees the effect of every
 * command before it (a heartbeat after a delete gets 404), with no locks on the read path.
 *
 * <p>Whoever holds the turn appends to the log, so the log's files must never see an interrupt
 * (an interrupt during a file-channel call closes the channel for good): a pending interrupt is
 * set aside while a caller writes and given back after, and no thread that writes is interrupted
 * by the server (request threads only between requests, the health scheduler not at all).
 */
public final class RegistryWriter implements Writes, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RegistryWriter.class.getName());

    private static final int DRAIN_BATCH = 256;
    /** How long a stop waits for the queued writes, and then again for the append under way after refusing the rest. */
    public static final Duration STOP_WAIT = Duration.ofSeconds(10);

    private final EventLog log;
    private final RegistryView view;
    private final Projection projection;
    private final SyncPolicy sync;
    private final DiskGuard disk;
    private final Clock clock;
    private volatile RegistryMetrics metrics = RegistryMetrics.NONE;
    private final Queue<Pending> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    /** The writer's turn: whoever holds it decides, appends and applies. */
    private final ReentrantLock turn = new ReentrantLock();

    /** The thread that takes the turns when appends are forced to disk; null when callers take them. */
    private final Thread turnTaker;

    private volatile boolean running = true;
    /** Set by a stop: from then on, past {@link #stopDeadline}, what is queued is refused and a sweep stops between its events. */
    private volatile boolean stopping;
    /** {@link System#nanoTime()} after which a stopping writer refuses what is still queued. */
    private volatile long stopDeadline;
    /** Set once the writer takes no more commands (it stopped); only ever set while holding the turn. */
    private volatile boolean takesNoMore;
    /** What broke the writer, if anything did; then every command is refused at once. */
    private volatile Throwable broken;

    // held by the turn's holder only
    private final List<Pending> batch = new ArrayList<>(DRAIN_BATCH);
    private Instant lastTime;
    /** Time the current batch's appends (and fsyncs) took so far. */
    private long batchAppendNanos;

    /** Events appended since this writer started (written with the turn held). */
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
        this.turnTaker = sync == SyncPolicy.NONE
                ? null
                : Thread.ofPlatform().name("registry-writer").daemon().start(this::takeTurnsUntilStopped);
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
        if (turn.isHeldByCurrentThread()) {
            // a write from inside a write (a projection writing back) would run ahead of its own cause
            throw new IllegalStateException("a write while applying another one");
        }
        Pending pending = new Pending(command, new CompletableFuture<>());
        queued.incrementAndGet();
        inbox.add(pending);
        if (turnTaker == null) {
            writeQueued();
        } else {
            LockSupport.unpark(turnTaker);
        }
        if (takesNoMore) {
            // the stop took its last look at the queue before this command was in it: it set this
            // flag first, so a command it missed sees the flag here
            pending.result.completeExceptionally(stoppedBeforeThisWrite());
        }
        try {
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

    /**
     * Writes what is queued if the turn is free, and looks again after letting it go: a command
     * queued while the turn was held is written by its holder or by its own caller.
     */
    private void writeQueued() {
        while (!inbox.isEmpty() && turn.tryLock()) {
            try {
                writeQueuedHoldingTheTurn();
            } finally {
                turn.unlock();
            }
        }
    }

    /** The fsync modes' writer thread: writes what is queued whenever it is woken, until a stop. */
    private void takeTurnsUntilStopped() {
        while (!takesNoMore) {
            if (inbox.isEmpty()) {
                LockSupport.park(this); // a command queued after the look above has unparked it already
                continue;
            }
            writeQueued();
            if (!inbox.isEmpty() && !takesNoMore) {
                LockSupport.parkNanos(this, 1_000_000); // a stop holds the turn: it writes or refuses those
            }
        }
    }

    private void writeQueuedHoldingTheTurn() {
        boolean interrupted = Thread.interrupted(); // never into the log's file channels
        try {
            while (drainBatch()) {
                if (takesNoMore) {
                    refuseBatch(stoppedBeforeThisWrite());
                } else if (broken != null) {
                    refuseBatch(new WriteFailedException("the writer stopped: " + broken, broken));
                } else {
                    writeBatch();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean drainBatch() {
        batch.clear();
        for (Pending p = inbox.poll(); p != null; p = batch.size() < DRAIN_BATCH ? inbox.poll() : null) {
            queued.decrementAndGet();
            batch.add(p);
        }
        return !batch.isEmpty();
    }

    private void refuseBatch(RuntimeException refusal) {
        batch.forEach(p -> p.result.completeExceptionally(refusal));
    }

    private void writeBatch() {
        try {
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
        } catch (Throwable fatal) {
            // never leave a caller waiting for an answer that will not come: fail them, and refuse
            // every later command at once instead of queueing it
            broken = fatal;
            LOG.log(System.Logger.Level.ERROR, "the writer stopped; every write is refused from now on", fatal);
            refuseBatch(new WriteFailedException("the writer stopped: " + fatal, fatal));
        }
    }

    /** Whether a stop's time for the queued writes has run out. */
    private boolean abandoned() {
        return stopping && System.nanoTime() - stopDeadline > 0;
    }

    /**
     * Decides, appends and applies one command, and adds how to acknowledge it to
     * {@code acknowledgements} (run once the batch is as durable as the policy asks).
     *
     * @return whether it appended anything
     */
    private boolean handle(Pending pending, List<Runnable> acknowledgements) {
        try {
            if (abandoned()) {
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
                if (pending.command instanceof Command.Sweep && abandoned()) {
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
        return queued.get();
    }

    /** What broke the writer, if anything did. */
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
     * @return whether the writer has stopped (only then may the log be closed)
     */
    public boolean stop() {
        return stop(STOP_WAIT);
    }

    /**
     * Stops taking commands and finishes the queued ones, waiting up to {@code finishQueued} for
     * them. Past that, what is still queued is refused (never acknowledged) and a sweep stops
     * between two of its events, and the append under way gets as long again to end.
     *
     * @return whether the writer has stopped: no append is under way and none will be made. Only
     *     then may the log be closed: Chronicle unmaps a closed queue's files, and an append still
     *     running would write into memory that is no longer mapped (the JVM dies, and the event
     *     is torn).
     */
    public boolean stop(Duration finishQueued) {
        if (takesNoMore) {
            return true;
        }
        running = false;
        if (!stopping) {
            stopDeadline = System.nanoTime() + finishQueued.toNanos();
            stopping = true;
        }
        try {
            if (!turn.tryLock(finishQueued.toNanos() * 2, TimeUnit.NANOSECONDS)) {
                return false;
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            writeQueuedHoldingTheTurn(); // what its callers have not written yet
            // as with broken: set before the last look at the queue, read by a caller after it queued
            takesNoMore = true;
            while (drainBatch()) {
                refuseBatch(stoppedBeforeThisWrite());
            }
        } finally {
            turn.unlock();
        }
        if (turnTaker != null) {
            LockSupport.unpark(turnTaker); // it sees takesNoMore and ends
        }
        return true;
    }

    private record Pending(Command command, CompletableFuture<WriteResult> result) {}
}
