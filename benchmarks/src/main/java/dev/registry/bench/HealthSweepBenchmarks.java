package dev.registry.bench;

import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.rules.HealthDeadlines;
import dev.registry.server.rules.HealthRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The once-a-second health sweep on a healthy fleet: N records whose heartbeats are spread over
 * the last minute, so nothing (or almost nothing) is due. This is what the scheduler pays every
 * second, whatever the fleet's size.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class HealthSweepBenchmarks {

    @Param({"100000", "1000000"})
    int records;

    private final Instant t0 = Instant.parse("2026-11-28T00:00:00Z");
    private final HealthRules rules = new HealthRules(Duration.ofSeconds(120), Duration.ofSeconds(300));
    private RegistryView view;
    private HealthDeadlines deadlines;
    private Instant now;

    @Setup
    public void setUp() {
        view = new RegistryView();
        for (int i = 0; i < records; i++) {
            Instant beat = t0.plusMillis(60_000L * i / records);
            Projector.apply(view, new LoggedEvent(i, new ServiceRegistered(beat, SyntheticLog.record(i, beat), false)));
        }
        deadlines = new HealthDeadlines(rules, view);
        deadlines.scheduleAll();
        now = t0.plusSeconds(90);
    }

    /** What is due now (nothing): the events a sweep would append. */
    @Benchmark
    public List<?> sweepWhenNothingIsDue() {
        return rules.due(view, deadlines, now);
    }

    /** When the scheduler should wake next. */
    @Benchmark
    public Instant nextDue() {
        return rules.nextDue(deadlines, now);
    }
}
