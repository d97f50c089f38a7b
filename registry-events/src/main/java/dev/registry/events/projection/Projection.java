package dev.registry.events.projection;

import dev.registry.events.log.LoggedEvent;

import java.util.List;

/**
 * Something kept up to date from the log, one event at a time, in log order, on one thread:
 * the view, and the indexes that audit queries use.
 */
@FunctionalInterface
public interface Projection {

    void apply(LoggedEvent event);

    /** The view's projection: {@link Projector#apply} on {@code view}. */
    static Projection of(RegistryView view) {
        return event -> Projector.apply(view, event);
    }

    /** Applies each event to every projection, in the given order. */
    static Projection all(List<Projection> projections) {
        List<Projection> copy = List.copyOf(projections);
        return event -> {
            for (Projection p : copy) {
                p.apply(event);
            }
        };
    }
}
