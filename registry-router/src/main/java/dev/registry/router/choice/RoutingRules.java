package dev.registry.router.choice;

import dev.registry.router.membership.Backend;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

/**
 * Which backend a request goes to, and which ones next if it cannot be sent.
 * <ol>
 *   <li>By model: backends whose models include the request's (no model: all), weight above 0.</li>
 *   <li>By size, where backends of the set declare {@code metadata.cache_type}: a prompt above the
 *       threshold goes to {@code static} ones, others to {@code paged} ones (all of the set if none
 *       has the wanted type).</li>
 *   <li>Within the set: a request with a session key goes by {@link Rendezvous} with bounded load;
 *       one without to the least loaded backend (in-flight requests / weight), ties broken round
 *       robin per model.</li>
 * </ol>
 */
public final class RoutingRules {

    /** A key's backend is passed over above this multiple of its share of in-flight requests. */
    public static final double LOAD_BOUND = 1.25;

    public static final String STATIC = "static";
    public static final String PAGED = "paged";

    private final long sizeThreshold;
    private final Map<String, AtomicLong> turns = new ConcurrentHashMap<>();

    /** @param sizeThreshold prompt bytes above which a request goes to {@code static} cache backends */
    public RoutingRules(long sizeThreshold) {
        this.sizeThreshold = sizeThreshold;
    }

    /** The backends the request may go to, by model and size. */
    public List<Backend> eligible(List<Backend> members, RequestFacts facts) {
        List<Backend> set = new ArrayList<>();
        for (Backend b : members) {
            if (b.weight() > 0 && (facts.model() == null || b.serves(facts.model()))) {
                set.add(b);
            }
        }
        if (set.stream().anyMatch(b -> b.cacheType() != null)) {
            String wanted = facts.promptBytes() > sizeThreshold ? STATIC : PAGED;
            List<Backend> sized =
                    set.stream().filter(b -> wanted.equals(b.cacheType())).toList();
            if (!sized.isEmpty()) {
                return sized;
            }
        }
        return set;
    }

    /** The eligible backends in the order to try them; the first is the choice. */
    public List<Backend> order(List<Backend> set, RequestFacts facts, ToIntFunction<String> inFlight) {
        if (facts.sessionKey() != null) {
            return Rendezvous.rankWithBoundedLoad(facts.sessionKey(), set, inFlight, LOAD_BOUND);
        }
        List<Backend> byLoad = new ArrayList<>(set);
        byLoad.sort(Comparator.comparingDouble((Backend b) -> load(b, inFlight)).thenComparing(Backend::name));
        int tied = 0;
        while (tied < byLoad.size() && load(byLoad.get(tied), inFlight) == load(byLoad.getFirst(), inFlight)) {
            tied++;
        }
        if (tied > 1) {
            long turn = turns.computeIfAbsent(facts.model() == null ? "" : facts.model(), m -> new AtomicLong())
                    .getAndIncrement();
            java.util.Collections.rotate(byLoad.subList(0, tied), -(int) (turn % tied));
        }
        return byLoad;
    }

    private static double load(Backend b, ToIntFunction<String> inFlight) {
        return inFlight.applyAsInt(b.name()) / b.weight();
    }
}
