package dev.registry.server.health;

import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.rules.Command;
import dev.registry.server.rules.HealthDeadlines;
import dev.registry.server.rules.HealthRules;
import dev.registry.server.write.WriteFailedException;
import dev.registry.server.write.Writes;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The one scheduler for time-driven health work, on one thread:
 * <ul>
 *   <li>sweeps: when the {@link HealthDeadlines} say a record's time has come, it has the writer
 *       run the {@link HealthRules} on it and append what is due (an expiry, an eviction). It
 *       wakes at the next such time (at least once a second), so expiries are appended within
 *       milliseconds of being due, at a cost that does not grow with the fleet;</li>
 *   <li>check rounds: every check interval, all records are probed concurrently; a round still
 *       running when the next is due makes that one skip.</li>
 * </ul>
 * Results go through the single writer like any other write; the API never waits for them.
 */
public final class HealthScheduler implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(HealthScheduler.class.getName());
    private static final Duration MAX_SLEEP = Duration.ofSeconds(1);
    /** Pause before retrying a sweep the log refused (disk almost full, read-only directory). */
    private static final Duration RETRY_REFUSED_SWEEP = Duration.ofSeconds(5);

    private boolean sweepRefused;

    private final RegistryView view;
    private final Writes writer;
    private final HealthRules rules;
    private final HealthDeadlines deadlines;
    private final Probe probe;
    private final Clock clock;
    private final BooleanSupplier mayAct;
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().name("registry-health").daemon(true).unstarted(r));
    private final ExecutorService recorders = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicReference<CompletableFuture<Void>> round = new AtomicReference<>();

    public HealthScheduler(
            RegistryView view, Writes writer, HealthRules rules, HealthDeadlines deadlines, Probe probe, Clock clock) {
        this(view, writer, rules, deadlines, probe, clock, () -> true);
    }

    /**
     * @param mayAct whether this node may do time-driven work now: always with one writer; on a
     *               log several nodes share, only while it holds the lease
     */
    public HealthScheduler(
            RegistryView view,
            Writes writer,
            HealthRules rules,
            HealthDeadlines deadlines,
            Probe probe,
            Clock clock,
            BooleanSupplier mayAct) {
        this.mayAct = mayAct;
        this.view = view;
        this.writer = writer;
        this.rules = rules;
        this.deadlines = deadlines;
        this.probe = probe;
        this.clock = clock;
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Starts sweeping, and running check rounds every {@code checkInterval} when enabled. */
    public void start(boolean checksEnabled, Duration checkInterval) {
        timer.execute(this::sweepAndReschedule);
        if (checksEnabled) {
            timer.scheduleWithFixedDelay(
                    this::startRoundUnlessRunning,
                    checkInterval.toMillis(),
                    checkInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void sweepAndReschedule() {
        boolean refused = false;
        try {
            if (mayAct.getAsBoolean() && !deadlines.earliest().isAfter(clock.instant())) {
                writer.execute(new Command.Sweep(rules, deadlines));
            }
        } catch (WriteFailedException ex) {
            refused = true;
            if (!sweepRefused) { // once per outage, not once per retry
                LOG.log(
                        Level.WARNING,
                        "health sweep not recorded: " + ex.getMessage() + "; retrying every "
                                + RETRY_REFUSED_SWEEP.toSeconds() + " s");
            }
        } catch (RuntimeException ex) {
            LOG.log(Level.ERROR, "health sweep failed", ex);
        }
        sweepRefused = refused;
        Instant now = clock.instant();
        // a refused sweep is still due at once: without a pause it would retry in a tight loop
        Duration wait = refused ? RETRY_REFUSED_SWEEP : Duration.between(now, rules.nextDue(deadlines, now));
        if (!refused && wait.compareTo(MAX_SLEEP) > 0) {
            wait = MAX_SLEEP;
        }
        if (!timer.isShutdown()) {
            timer.schedule(this::sweepAndReschedule, Math.max(1_000, wait.toNanos() / 1_000), TimeUnit.MICROSECONDS);
        }
    }

    private void startRoundUnlessRunning() {
        CompletableFuture<Void> current = round.get();
        if (mayAct.getAsBoolean() && (current == null || current.isDone())) {
            runCheckRound();
        }
    }

    /** Probes every record now; the future completes when the round's results are recorded. */
    public CompletableFuture<Void> runCheckRound() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        round.set(done);
        Thread.ofVirtual().name("registry-check-round").start(() -> {
            List<CompletableFuture<Void>> checks = new ArrayList<>();
            for (ServiceRecord record : List.copyOf(view.records())) {
                checks.add(probe.check(record).thenAcceptAsync(result -> record(record, result), recorders));
            }
            CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new))
                    .whenComplete((ok, error) -> done.complete(null));
        });
        return done;
    }

    private void record(ServiceRecord checked, Probe.Result result) {
        ServiceRecord now = view.get(checked.name()).orElse(null);
        if (now == null || now.healthStatus().equals(result.healthStatus())) {
            return;
        }
        try {
            writer.execute(new Command.RecordCheck(
                    checked.name(), result.healthStatus(), result.detail(), HealthChecked.CAUSE_CHECK, false));
        } catch (WriteFailedException ex) {
            LOG.log(Level.WARNING, "check result for " + checked.name() + " not recorded: " + ex.getMessage());
        }
    }

    /**
     * Stops sweeping and probing. A sweep or a check's record under way finishes: its thread is
     * writing to the log, which an interrupt must never reach (see {@code RegistryWriter}).
     */
    @Override
    public void close() {
        timer.shutdown();
        recorders.shutdown();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
