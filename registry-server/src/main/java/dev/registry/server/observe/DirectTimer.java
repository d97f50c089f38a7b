package dev.registry.server.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A timer recorded on every request or append, straight into the one Micrometer registry behind
 * Helidon's. Helidon keeps its meters in a composite registry, and a record there walks the
 * composite's children (a sparse identity map) to reach that registry's own timer: a third of a
 * record's cost, and a composite with one child gains nothing by it. With exactly one child the
 * records go to its timer; otherwise (a second registry, e.g. a publisher set up in config) through
 * Helidon's timer as before. Either way Helidon's timer shows them: a composite reads its first child.
 */
final class DirectTimer {

    private final Timer target;
    private final boolean direct;

    private DirectTimer(Timer target, boolean direct) {
        this.target = target;
        this.direct = direct;
    }

    /**
     * @param timer      a timer of Helidon's registry
     * @param micrometer the Micrometer registry Helidon's wraps
     */
    static DirectTimer of(io.helidon.metrics.api.Timer timer, MeterRegistry micrometer) {
        Timer outer = timer.unwrap(Timer.class);
        if (micrometer instanceof CompositeMeterRegistry composite) {
            Set<MeterRegistry> children = composite.getRegistries();
            if (children.size() == 1) {
                Timer inner = children.iterator()
                        .next()
                        .find(outer.getId().getName())
                        .tags(outer.getId().getTags())
                        .timer();
                if (inner != null) {
                    return new DirectTimer(inner, true);
                }
            }
        }
        return new DirectTimer(outer, false);
    }

    void record(long nanos) {
        target.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Whether records skip the composite (for tests). */
    boolean direct() {
        return direct;
    }
}
