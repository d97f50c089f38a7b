package dev.registry.server.replication;

import dev.registry.events.event.LeaseGranted;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.write.WriteFailedException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps, or takes, the lease for time-driven events on a shared log. The lease is an event in
 * the log ({@link LeaseGranted}), so every node agrees who holds it: this node renews its lease
 * well before it runs out, takes it over once the holder's has run out (a stopped or cut-off
 * holder is replaced within about {@link #LEASE} plus one {@link #TICK}), and releases it on a
 * clean stop so another node takes over at once.
 *
 * <p>It acts on its lease only while it has a margin left ({@link #holds}): a holder that stalls
 * (a long pause) stops sweeping before another node can take over, and anything it appended
 * late is of an old epoch, which the projector ignores.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LeaseKeeper.class.getName());
    /** How long a grant lasts. */
    static final Duration LEASE = Duration.ofSeconds(5);
    /** Renewed once less than this is left. */
    static final Duration RENEW_WHEN_LEFT = Duration.ofMillis(3_500);
    /** Not acted on in its last moments, in case this node's clock is a little behind. */
    static final Duration SAFETY = Duration.ofMillis(750);

    static final Duration TICK = Duration.ofMillis(500);

    private final String nodeId;
    private final RegistryView view;
    private final ReplicatedWriter writer;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("registry-lease").daemon(true).unstarted(r));
    private volatile boolean warnedRefused;

    LeaseKeeper(String nodeId, RegistryView view, ReplicatedWriter writer, Clock clock) {
        this.nodeId = nodeId;
        this.view = view;
        this.writer = writer;
        this.clock = clock;
    }

    void start() {
        timer.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether this node may do time-driven work at {@code now}. */
    boolean holds(Instant now) {
        return view.lease()
                .map(l -> l.holder().equals(nodeId) && now.plus(SAFETY).isBefore(l.until()))
                .orElse(false);
    }

    /** The epoch of the lease this node holds now, or 0. */
    long epoch() {
        Instant now = clock.instant();
        return holds(now) ? view.lease().orElseThrow().epoch() : 0;
    }

    private void tick() {
        try {
            Instant now = writer.nextTime();
            Optional<RegistryView.Lease> lease = view.lease();
            if (lease.isPresent()
                    && lease.get().holder().equals(nodeId)
                    && lease.get().heldAt(now)) {
                if (Duration.between(now, lease.get().until()).compareTo(RENEW_WHEN_LEFT) < 0) {
                    writer.propose(new LeaseGranted(now, nodeId, lease.get().epoch(), now.plus(LEASE)));
                }
            } else if (lease.isEmpty() || !lease.get().heldAt(now)) {
                long epoch = lease.map(l -> l.epoch() + 1).orElse(1L);
                if (writer.propose(new LeaseGranted(now, nodeId, epoch, now.plus(LEASE)))) {
                    LOG.log(
                            Level.INFO,
                            "this node ({0}) holds the lease for time-driven events (epoch {1})",
                            nodeId,
                            String.valueOf(epoch));
                }
            }
            warnedRefused = false;
        } catch (WriteFailedException ex) {
            if (!warnedRefused) {
                LOG.log(Level.WARNING, "lease not renewed or taken: " + ex.getMessage());
                warnedRefused = true;
            }
        } catch (RuntimeException ex) {
            LOG.log(Level.ERROR, "lease keeping failed", ex);
        }
    }

    /** Stops, and releases the lease if this node holds it, so another node takes over at once. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
            Instant now = writer.nextTime();
            Optional<RegistryView.Lease> lease = view.lease();
            if (lease.isPresent()
                    && lease.get().holder().equals(nodeId)
                    && lease.get().heldAt(now)) {
                writer.propose(new LeaseGranted(now, nodeId, lease.get().epoch(), now));
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "lease not released (another node takes over when it runs out): " + ex.getMessage());
        }
    }
}
