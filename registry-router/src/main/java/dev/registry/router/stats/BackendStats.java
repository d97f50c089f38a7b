package dev.registry.router.stats;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One backend's counters: requests in flight, requests sent, errors, and the latency of its
 * replies (to the last byte) since the router started, in an HdrHistogram.
 */
public final class BackendStats {

    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(2);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Recorder recorder = new Recorder(MAX_MICROS, 2);
    private final Histogram latency = new Histogram(MAX_MICROS, 2);
    private final RouterMeters.Backend meters;

    BackendStats(RouterMeters.Backend meters) {
        this.meters = meters;
    }

    /** A request was sent to the backend. */
    public void started() {
        inFlight.incrementAndGet();
        requests.increment();
        meters.requests().increment();
    }

    /** Its reply ended after {@code micros}; {@code failed} when it did not end well. */
    public void finished(long micros, boolean failed) {
        inFlight.decrementAndGet();
        if (failed) {
            errors.increment();
            meters.errors().increment();
        } else {
            recorder.recordValue(Math.min(MAX_MICROS, Math.max(0, micros)));
            meters.latency().record(Math.max(0, micros), TimeUnit.MICROSECONDS);
        }
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long requests() {
        return requests.sum();
    }

    public long errors() {
        return errors.sum();
    }

    /** Latency percentile in milliseconds over every reply so far (0 before the first). */
    public synchronized double latencyMillis(double percentile) {
        latency.add(recorder.getIntervalHistogram());
        return latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(percentile) / 1000.0;
    }
}
