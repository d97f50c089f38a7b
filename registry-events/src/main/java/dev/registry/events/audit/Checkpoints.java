package dev.registry.events.audit;

import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projection;
import dev.registry.events.projection.RegistryView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Copies of the view taken every so many events, so that "the view at time T" replays a short
 * stretch of log from the nearest copy instead of the whole log.
 *
 * <p>The spacing grows with the view (at least four events per record between copies), so taking
 * copies costs a bounded share of the writer's time; when there are more than {@link #MAX_COPIES},
 * every other one is dropped and the spacing doubles, so memory stays bounded too. Apply it after
 * the view's own projection: each copy includes the event that triggered it.
 */
public final class Checkpoints implements Projection {

    /** Most copies kept at once. */
    public static final int MAX_COPIES = 32;

    /** A copy of the view after the event at {@code index}, appended at {@code time}. */
    public record Checkpoint(long index, Instant time, RegistryView view) {}

    private final RegistryView live;
    private final int minSpacing;
    private volatile List<Checkpoint> copies = List.of();
    /** The oldest state known once retention deleted the log before it; never thinned out. */
    private volatile Checkpoint floor;

    private long spacing;
    private long sinceLast;

    /**
     * @param live       the view to copy
     * @param minSpacing fewest events between two copies
     */
    public Checkpoints(RegistryView live, int minSpacing) {
        this.live = live;
        this.minSpacing = minSpacing;
        this.spacing = minSpacing;
    }

    @Override
    public void apply(LoggedEvent event) {
        if (++sinceLast < Math.max(spacing, 4L * live.size())) {
            return;
        }
        sinceLast = 0;
        List<Checkpoint> next = new ArrayList<>(copies);
        next.add(new Checkpoint(event.index(), event.event().time(), live.copy()));
        if (next.size() > MAX_COPIES) {
            List<Checkpoint> thinned = new ArrayList<>();
            for (int i = 1; i < next.size(); i += 2) {
                thinned.add(next.get(i));
            }
            next = thinned;
            spacing *= 2;
        }
        copies = List.copyOf(next);
    }

    /** The view the copies are taken of. */
    RegistryView live() {
        return live;
    }

    /** Starts with a copy known from elsewhere (the snapshot a server started from). */
    public void seed(long index, Instant time, RegistryView view) {
        List<Checkpoint> next = new ArrayList<>(copies);
        next.add(new Checkpoint(index, time, view));
        copies = List.copyOf(next);
    }

    /** Checkpoints of a log that nobody appends to (the offline tools): the floor only, if any. */
    public static Checkpoints floorOnly(Optional<Checkpoint> floor) {
        Checkpoints c = new Checkpoints(new RegistryView(), Integer.MAX_VALUE);
        floor.ifPresent(c::floor);
        return c;
    }

    /**
     * Sets the oldest state anything can be answered from: the state after the newest event
     * retention deleted. Copies older than it go; their log is gone.
     */
    public void floor(Checkpoint base) {
        floor = base;
        copies = copies.stream().filter(c -> c.index() > base.index()).toList();
    }

    /** The oldest state anything can be answered from, when retention deleted part of the log. */
    public Optional<Checkpoint> floor() {
        return Optional.ofNullable(floor);
    }

    /** The newest copy taken at or before {@code time}. */
    public Optional<Checkpoint> atOrBefore(Instant time) {
        Checkpoint base = floor;
        Checkpoint best = base != null && !base.time().isAfter(time) ? base : null;
        for (Checkpoint c : copies) {
            if (c.time().isAfter(time)) {
                break;
            }
            if (base == null || c.index() > base.index()) { // an older copy's log may be gone
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The newest copy taken at or before the event at {@code index}. */
    public Optional<Checkpoint> atOrBeforeIndex(long index) {
        Checkpoint base = floor;
        Checkpoint best = base != null && base.index() <= index ? base : null;
        for (Checkpoint c : copies) {
            if (c.index() > index) {
                break;
            }
            if (base == null || c.index() > base.index()) {
                best = c;
            }
        }
        return Optional.ofNullable(best);
    }

    int count() {
        return copies.size();
    }
}
