package dev.registry.router.choice;

import dev.registry.router.membership.Backend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Session affinity by weighted rendezvous (highest random weight) hashing with bounded load.
 *
 * <p>Each backend scores a key by a hash of the key and the backend's name; the highest score
 * wins. The hash is fixed (FNV-1a 64 with a MurmurHash3 finaliser over UTF-8), so every router
 * replica ranks a key the same, and adding or removing one backend moves only the keys that
 * backend wins or won. A key's first choice is passed over while it holds at least its share of
 * {@code bound} times the set's in-flight requests (counting this one):
 * {@code ceil(bound × (total + 1) × weight / sum of weights)}; the key then goes to its next choice
 * under that bound, and comes back once its backend is under it again.
 */
final class Rendezvous {

    private Rendezvous() {}

    /** The backends by the key's preference, best first. */
    public static List<Backend> rank(String key, List<Backend> set) {
        List<Backend> ranked = new ArrayList<>(set);
        ranked.sort(Comparator.comparingDouble((Backend b) -> -score(key, b)).thenComparing(Backend::name));
        return ranked;
    }

    /** {@link #rank}, with the first backend under the load bound moved to the front. */
    public static List<Backend> rankWithBoundedLoad(
            String key, List<Backend> set, ToIntFunction<String> inFlight, double bound) {
        List<Backend> ranked = rank(key, set);
        long total = 0;
        double weights = 0;
        for (Backend b : set) {
            total += inFlight.applyAsInt(b.name());
            weights += b.weight();
        }
        for (int i = 0; i < ranked.size(); i++) {
            Backend b = ranked.get(i);
            double capacity = Math.ceil(bound * (total + 1) * b.weight() / weights);
            if (inFlight.applyAsInt(b.name()) < capacity) {
                if (i > 0) {
                    ranked.remove(i);
                    ranked.addFirst(b);
                }
                return ranked;
            }
        }
        return ranked;
    }

    /** Weighted score: {@code -weight / ln(u)} for the key's uniform hash {@code u} in (0, 1). */
    static double score(String key, Backend b) {
        long h = hash(key + '\u0000' + b.name());
        double u = ((h >>> 11) + 0.5) / (double) (1L << 53);
        return -b.weight() / Math.log(u);
    }

    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
