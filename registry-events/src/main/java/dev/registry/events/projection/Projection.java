package dev.registry.events.projection;

import dev.registry.events.log.LoggedEvent;
import java.util.List;

/**
 * Something kept up to date from the log, one event at a time, in log order, on one thread:
 * the view, and the indexes that audit queries use.
 *
 * <p>Events come in batches (a writer's batch of commands, a replay's batch of reads); after
 * the last of each, {@link #endOfBatch} says so, as the Disruptor's {@code endOfBatch} does,
 * so that whoever waits for the view wakes once per batch, not once per event.
 */
@FunctionalInterface
public interface Projection {

    /** An event the view applied. */
    void apply(LoggedEvent event);

    /**
     * An event the view did not apply, because it no longer held at its place in the log (see
     * {@link Projector}); the view moved past its index all the same.
     */
    default void skip(LoggedEvent event) {}

    /** The events up to {@code lastIndex} are applied, for now: wake whoever waits for the view. */
    default void endOfBatch(long lastIndex) {}

    /**
     * The view's projection first, then the others in the given order: each gets every event the
     * view applied, and {@link #skip} for each it did not.
     */
    static OnView onView(RegistryView view, List<Projection> others) {
        return new OnView(view, others);
    }

    /** The view and the projections kept beside it; see {@link #onView}. */
    final class OnView implements Projection {
        private final RegistryView view;
        private final List<Projection> others;

        private OnView(RegistryView view, List<Projection> others) {
            this.view = view;
            this.others = List.copyOf(others);
        }

        @Override
        public void apply(LoggedEvent event) {
            offer(event);
        }

        /** Applies {@code event} to the view and then the others; returns whether it took effect. */
        public boolean offer(LoggedEvent event) {
            boolean effective = Projector.apply(view, event);
            for (Projection p : others) {
                if (effective) {
                    p.apply(event);
                } else {
                    p.skip(event);
                }
            }
            return effective;
        }

        @Override
        public void endOfBatch(long lastIndex) {
            for (Projection p : others) {
                p.endOfBatch(lastIndex);
            }
        }
    }
}
