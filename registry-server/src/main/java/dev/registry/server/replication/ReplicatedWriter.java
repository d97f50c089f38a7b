package dev.registry.server.replication;

import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.LeaseGranted;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceEvicted;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.RegistryView;
import dev.registry.kafka.KafkaEventLog;
import dev.registry.server.observe.RegistryMetrics;
import dev.registry.server.rules.Command;
import dev.registry.server.rules.CommandDecider;
import dev.registry.server.write.WriteFailedException;
import dev.registry.server.write.WriteResult;
import dev.registry.server.write.Writes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * A node's writes on a log several nodes share. Any node takes any command: it proposes the
 * events its own view calls for ({@link CommandDecider#propose}), appends them to Kafka, and
 * answers once Kafka has them ({@code acks=all}) and this node's {@link LogTail} has applied them
 * in the log's order. The answer is what became of them there: a heartbeat whose record another
 * node deleted just before it in the log is a 404 here as on every node, because every node's
 * projector skipped it at the same place.
 *
 * <p>Time-driven events (a sweep, a periodic check's result) carry the epoch of the lease this
 * node holds, and only events of the current lease take effect. A sweep is decided on the tail's
 * thread, where the deadline index is kept.
 */
final class ReplicatedWriter implements Writes {

    /** Longest a write waits for Kafka and for its event to come back through the tail. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaEventLog log;
    private final RegistryView view;
    private final LogTail tail;
    private final Clock clock;
    private final Duration staleAfter;
    private final LongSupplier leaseEpoch;
    private final RegistryMetrics metrics;
    private Instant lastTime = Instant.MIN;
    private final java.util.concurrent.atomic.AtomicLong appended = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param staleAfter how long without an answer from Kafka before writes are refused at once
     * @param leaseEpoch the epoch of the lease this node holds now, or 0 when it holds none
     */
    ReplicatedWriter(
            KafkaEventLog log,
            RegistryView view,
            LogTail tail,
            Clock clock,
            Duration staleAfter,
            LongSupplier leaseEpoch,
            RegistryMetrics metrics) {
        this.metrics = metrics;
        this.log = log;
        this.view = view;
        this.tail = tail;
        this.clock = clock;
        this.staleAfter = staleAfter;
        this.leaseEpoch = leaseEpoch;
    }

    @Override
    public WriteResult execute(Command command) {
        Optional<String> needed = recordNeeded(command);
        if (needed.isPresent() && view.get(needed.get()).isEmpty()) {
            long absentAt = absentAt(needed.get());
            if (absentAt >= -1) {
                // not there as of the log's end: a 404 true at that place, and nothing appended
                return new WriteResult(true, List.of(), Optional.empty(), absentAt);
            }
        }
        Instant time = nextTime();
        Optional<List<RegistryEvent>> proposed = command instanceof Command.Sweep
                ? decideOnTheTail(command, time)
                : CommandDecider.propose(view, command, time);
        if (proposed.isEmpty()) {
            return new WriteResult(true, List.of(), Optional.empty(), view.lastIndex());
        }
        List<RegistryEvent> events = stamped(command, proposed.get());
        if (events.isEmpty()) {
            return new WriteResult(false, List.of(), recordOf(command), view.lastIndex());
        }
        List<Outcome> outcomes = append(events);
        List<LoggedEvent> effective = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.effective()) {
                effective.add(o.event());
            }
        }
        Outcome last = outcomes.getLast();
        boolean notFound = needsItsRecord(command) && !outcomes.getFirst().effective();
        return new WriteResult(
                notFound,
                effective,
                notFound ? Optional.empty() : last.recordAfter(),
                last.event().index());
    }

    /**
     * Whether {@code name} exists as of the log's end: this node's view may lag, so when it does
     * not know the name it first catches up with the end Kafka reports.
     */
    @Override
    public boolean exists(String name) {
        return view.get(name).isPresent() || absentAt(name) < -1;
    }

    /**
     * Catches up with the end Kafka reports now, then looks on the tail's thread, between two
     * events, so the answer is exact: the log position at which {@code name} has no record, or
     * {@link Long#MIN_VALUE} when it has one there.
     */
    private long absentAt(String name) {
        requireContact();
        long end;
        try {
            end = log.lastIndex();
        } catch (RuntimeException unreachable) {
            throw new WriteFailedException(
                    "Kafka did not say where the log ends: " + unreachable.getMessage(), unreachable);
        }
        try {
            if (!tail.awaitApplied(end, WRITE_TIMEOUT)) {
                throw new WriteFailedException(
                        "this node could not catch up with the log within " + WRITE_TIMEOUT.toSeconds() + " s", null);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new WriteFailedException("interrupted while catching up with the log", ex);
        }
        return await(tail.submit(() -> view.get(name).isPresent() ? Long.MIN_VALUE : view.lastIndex()), "the log tail");
    }

    private void requireContact() {
        if (!log.contact().isRecent(staleAfter)) {
            throw new WriteFailedException(
                    "Kafka has not answered for more than " + staleAfter.toSeconds()
                            + " s; reads are served from this node's last state",
                    null);
        }
        if (tail.failure().isPresent()) {
            throw new WriteFailedException(
                    "this node can no longer read the log: " + tail.failure().get(), null);
        }
    }

    /** Events this node appended since it started. */
    long appended() {
        return appended.get();
    }

    /** Proposes {@code grant}; returns whether it took effect at its place (the lease is this node's). */
    boolean propose(LeaseGranted grant) {
        return append(List.of(grant)).getFirst().effective();
    }

    /** The time for a new event: this node's clock, never going back. */
    synchronized Instant nextTime() {
        Instant now = EventCodec.truncate(clock.instant());
        if (now.isBefore(lastTime)) {
            now = lastTime;
        }
        lastTime = now;
        return now;
    }

    private Optional<List<RegistryEvent>> decideOnTheTail(Command command, Instant time) {
        return await(tail.submit(() -> CommandDecider.decide(view, command, time)), "the sweep");
    }

    /** Time-driven events carry the lease they were decided under; none without a lease. */
    private List<RegistryEvent> stamped(Command command, List<RegistryEvent> events) {
        boolean timeDriven = command instanceof Command.Sweep
                || command instanceof Command.RecordCheck c && HealthChecked.CAUSE_CHECK.equals(c.cause());
        if (!timeDriven) {
            return events;
        }
        long epoch = leaseEpoch.getAsLong();
        if (epoch == 0) {
            throw new WriteFailedException("this node does not hold the lease for time-driven events", null);
        }
        List<RegistryEvent> out = new ArrayList<>(events.size());
        for (RegistryEvent e : events) {
            out.add(
                    switch (e) {
                        case ServiceExpired x -> new ServiceExpired(x.time(), x.name(), x.lastHeartbeat(), epoch);
                        case ServiceEvicted x -> new ServiceEvicted(x.time(), x.record(), x.ageSeconds(), epoch);
                        case HealthChecked x ->
                            new HealthChecked(
                                    x.time(), x.name(), x.oldStatus(), x.newStatus(), x.detail(), x.cause(), epoch);
                        default -> e; // a probe's heartbeat is the client's live check
                    });
        }
        return out;
    }

    private List<Outcome> append(List<RegistryEvent> events) {
        requireContact();
        List<CompletableFuture<Long>> sent = new ArrayList<>(events.size());
        long t0 = System.nanoTime();
        for (RegistryEvent e : events) {
            sent.add(log.appendAsync(e));
        }
        List<Outcome> outcomes = new ArrayList<>(events.size());
        for (int i = 0; i < sent.size(); i++) {
            long index = await(sent.get(i), "Kafka");
            metrics.appended(EventCodec.typeOf(events.get(i)));
            if (i == sent.size() - 1) {
                metrics.batchAppended(System.nanoTime() - t0); // the command's events, acknowledged by Kafka
            }
            appended.incrementAndGet();
            try {
                outcomes.add(tail.outcomes().await(index, WRITE_TIMEOUT));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new WriteFailedException("interrupted while waiting for the log", ex);
            } catch (Outcomes.OutcomeUnknownException ex) {
                throw new WriteFailedException(ex.getMessage() + " (the write is in the log)", ex);
            }
        }
        return outcomes;
    }

    private static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new WriteFailedException("interrupted while waiting for " + what, ex);
        } catch (TimeoutException ex) {
            throw new WriteFailedException(what + " did not answer within " + WRITE_TIMEOUT.toSeconds() + " s", ex);
        } catch (ExecutionException ex) {
            throw new WriteFailedException(
                    what + " refused the write: " + ex.getCause().getMessage(), ex.getCause());
        }
    }

    /** The record a command is about when it needs it to exist. */
    private static Optional<String> recordNeeded(Command command) {
        return switch (command) {
            case Command.Update c -> Optional.of(c.name());
            case Command.Heartbeat c -> Optional.of(c.name());
            case Command.Deregister c -> Optional.of(c.name());
            case Command.RecordCheck c -> Optional.of(c.name());
            default -> Optional.empty();
        };
    }

    /** Commands about an existing record: their first event not taking effect means it was not there. */
    private static boolean needsItsRecord(Command command) {
        return switch (command) {
            case Command.Update c -> true;
            case Command.Heartbeat c -> true;
            case Command.Deregister c -> true;
            case Command.RecordCheck c -> true;
            case Command.Register c -> false;
            case Command.Start c -> false;
            case Command.Sweep c -> false;
        };
    }

    /** The command's record as this node's view has it (a command that needed no event). */
    private Optional<ServiceRecord> recordOf(Command command) {
        return switch (command) {
            case Command.Register c -> view.get(c.name());
            case Command.Update c -> view.get(c.name());
            case Command.Heartbeat c -> view.get(c.name());
            case Command.RecordCheck c -> view.get(c.name());
            case Command.Deregister c -> Optional.empty();
            case Command.Start c -> Optional.empty();
            case Command.Sweep c -> Optional.empty();
        };
    }
}
