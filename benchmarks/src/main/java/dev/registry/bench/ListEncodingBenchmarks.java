package dev.registry.bench;

import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.http.GzipPrefix;
import dev.registry.server.rules.HealthRules;
import dev.registry.server.services.ServiceEndpoints;
import dev.registry.server.services.ServiceFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
 * Encoding the body of {@code GET /services?healthy=true} (what the list cache saves per poll), and
 * compressing it for gzip clients (once per change).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class ListEncodingBenchmarks {

    @Param({"1000", "10000"})
    public int records;

    private RegistryView view;
    private ServiceEndpoints endpoints;
    private Instant now;
    private byte[] encoded;

    @Setup
    public void setUp() {
        now = Instant.parse("2026-11-28T00:00:30Z");
        view = new RegistryView();
        for (int i = 0; i < records; i++) {
            Instant t = now.minusSeconds(i % 60);
            Projector.apply(view, new LoggedEvent(i, new ServiceRegistered(t, SyntheticLog.record(i, t), false)));
        }
        HealthRules rules = new HealthRules(Duration.ofSeconds(120), Duration.ofSeconds(300));
        endpoints = new ServiceEndpoints(
                view,
                null,
                rules,
                Clock.fixed(now, ZoneOffset.UTC),
                null,
                Integer.MAX_VALUE,
                dev.registry.server.config.RequestLimits.DEFAULTS,
                new dev.registry.server.http.HeavyReads(1));
        encoded = encodeHealthyList();
    }

    @Benchmark
    public byte[] encodeHealthyList() {
        return endpoints.listBody(view.records(), new ServiceFilter(null, true), now, now, g -> {});
    }

    /** What a change costs a list polled with gzip on top of its encoding: one compression. */
    @Benchmark
    public GzipPrefix gzipHealthyList() {
        return GzipPrefix.of(encoded);
    }
}
