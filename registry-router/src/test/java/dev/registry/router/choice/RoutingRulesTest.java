package dev.registry.router.choice;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.ServiceRecord;
import dev.registry.router.membership.Backend;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** The routing rules on their own: affinity, bounded load, size routing, least loaded. */
class RoutingRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ToIntFunction<String> IDLE = name -> 0;

    @Test
    void affinityMovesOnlyTheRemovedBackendsKeysAndIsTheSameOnEveryReplica() {
        List<Backend> four =
                List.of(backend("b0", "{}"), backend("b1", "{}"), backend("b2", "{}"), backend("b3", "{}"));
        RoutingRules replicaA = new RoutingRules(51200);
        RoutingRules replicaB = new RoutingRules(51200);
        Map<String, String> before = new HashMap<>();
        Map<String, Integer> perBackend = new HashMap<>();
        for (int k = 0; k < 1000; k++) {
            String key = "session-" + k;
            String a = choose(replicaA, four, key, IDLE);
            assertThat(choose(replicaB, four, key, IDLE), is(a));
            before.put(key, a);
            perBackend.merge(a, 1, Integer::sum);
        }
        assertThat(perBackend.size(), is(4));
        assertThat(perBackend.values(), everyItem(greaterThan(150))); // spread, not piled on one

        List<Backend> three = four.stream().filter(b -> !b.name().equals("b2")).toList();
        int moved = 0;
        for (int k = 0; k < 1000; k++) {
            String key = "session-" + k;
            String after = choose(replicaA, three, key, IDLE);
            if (before.get(key).equals("b2")) {
                moved++;
                assertThat(after, not("b2"));
            } else {
                assertThat(key + " moved although its backend stayed", after, is(before.get(key)));
            }
        }
        assertThat(moved, is(perBackend.get("b2")));
    }

    @Test
    void anOverloadedBackendShedsKeysUntilItIsBackUnderTheBound() {
        List<Backend> four =
                List.of(backend("b0", "{}"), backend("b1", "{}"), backend("b2", "{}"), backend("b3", "{}"));
        RoutingRules rules = new RoutingRules(51200);
        Map<String, Integer> inFlight = new HashMap<>();
        ToIntFunction<String> load = name -> inFlight.getOrDefault(name, 0);
        String hot = "hot-session";
        String home = choose(rules, four, hot, IDLE);

        // one hot key and many others, every request staying in flight
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String key = i % 3 == 0 ? hot : "key-" + i;
            String chosen = choose(rules, four, key, load);
            int total = inFlight.values().stream().mapToInt(Integer::intValue).sum();
            assertThat(
                    load.applyAsInt(chosen) + 1.0,
                    lessThanOrEqualTo(Math.ceil(RoutingRules.LOAD_BOUND * (total + 1) / 4)));
            inFlight.merge(chosen, 1, Integer::sum);
            placed.add(chosen);
        }
        int total = 1000;
        for (String b : List.of("b0", "b1", "b2", "b3")) {
            assertThat(load.applyAsInt(b) + 0.0, lessThanOrEqualTo(Math.ceil(RoutingRules.LOAD_BOUND * total / 4)));
        }
        assertThat(choose(rules, four, hot, load), not(home)); // over its bound: shed

        // its requests finish: back under the bound, the key comes home
        inFlight.put(home, 0);
        assertThat(choose(rules, four, hot, load), is(home));
        assertThat(placed.contains(home), is(true));
    }

    @Test
    void sizePicksTheCacheTypeAndTheKeyPicksWithinIt() {
        List<Backend> set = List.of(
                backend("static-1", "{\"models\":[\"m\"],\"cache_type\":\"static\"}"),
                backend("static-2", "{\"models\":[\"m\"],\"cache_type\":\"static\"}"),
                backend("paged-1", "{\"models\":[\"m\"],\"cache_type\":\"paged\"}"),
                backend("paged-2", "{\"models\":[\"m\"],\"cache_type\":\"paged\"}"),
                backend("other", "{\"models\":[\"x\"]}"));
        RoutingRules rules = new RoutingRules(1000);
        RequestFacts small =
                facts("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(1000) + "\"}]}");
        RequestFacts large =
                facts("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\""
                        + "a".repeat(600) + "\"},{\"type\":\"text\",\"text\":\"" + "é".repeat(201) + "\"}]}]}");
        assertThat(small.promptBytes(), is(1000L));
        assertThat(large.promptBytes(), is(1002L));
        assertThat(names(rules.eligible(set, small)), is(List.of("paged-1", "paged-2")));
        assertThat(names(rules.eligible(set, large)), is(List.of("static-1", "static-2")));
        assertThat(
                names(rules.eligible(set, facts("{\"model\":\"m\",\"prompt\":\"" + "p".repeat(1001) + "\"}"))),
                is(List.of("static-1", "static-2")));
        assertThat(names(rules.eligible(set, facts("{\"model\":\"x\"}"))), is(List.of("other")));

        // combined with a key: the size picks the set, the key a backend in it, the same every time
        for (int k = 0; k < 50; k++) {
            RequestFacts keyed = new RequestFacts("m", large.promptBytes(), "user-" + k);
            List<Backend> sized = rules.eligible(set, keyed);
            String first = rules.order(sized, keyed, IDLE).getFirst().name();
            assertThat(first.startsWith("static-"), is(true));
            assertThat(rules.order(sized, keyed, IDLE).getFirst().name(), is(first));
            assertThat(
                    Rendezvous.rank("user-" + k, List.of(set.get(0), set.get(1)))
                            .getFirst()
                            .name(),
                    is(first));
        }
    }

    @Test
    void withoutAKeyTheLeastLoadedByWeightTiesRoundRobinPerModel() {
        List<Backend> set = List.of(backend("a", "{\"weight\":2}"), backend("b", "{}"), backend("c", "{}"));
        RoutingRules rules = new RoutingRules(51200);
        RequestFacts none = new RequestFacts("m", 0, null);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            picks.add(rules.order(set, none, IDLE).getFirst().name());
        }
        assertThat(picks, is(List.of("a", "b", "c", "a", "b", "c")));
        Map<String, Integer> load = Map.of("a", 2, "b", 1, "c", 3);
        // a: 2/2 = 1 and b: 1/1 = 1 tie below c: 3
        assertThat(
                names(rules.order(set, none, n -> load.get(n)).subList(0, 2)).stream()
                        .sorted()
                        .toList(),
                is(List.of("a", "b")));
        assertThat(rules.order(set, none, n -> load.get(n)).getLast().name(), is("c"));
        assertThat(
                rules.eligible(List.of(backend("drained", "{\"weight\":0}")), none)
                        .isEmpty(),
                is(true));
    }

    @Test
    void factsComeFromTheBodyAndTheHeaders() {
        Map<String, String> headers = Map.of("X-Forwarded-For", "10.1.2.3, 10.0.0.1", "User-Agent", "curl/8");
        RequestFacts fromHeaders = RequestFacts.of(
                "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8), name -> Optional.ofNullable(headers.get(name)));
        assertThat(fromHeaders.sessionKey(), is("10.1.2.3|curl/8"));
        RequestFacts fromBody = RequestFacts.of(
                "{\"model\":\"m\",\"prompt_cache_key\":\"conv-7\"}".getBytes(StandardCharsets.UTF_8),
                name -> Optional.ofNullable(headers.get(name)));
        assertThat(fromBody.sessionKey(), is("conv-7"));
        RequestFacts garbage = RequestFacts.of("{not json".getBytes(StandardCharsets.UTF_8), name -> Optional.empty());
        assertThat(garbage.model() == null && garbage.sessionKey() == null && garbage.promptBytes() == 0, is(true));
    }

    private static String choose(RoutingRules rules, List<Backend> set, String key, ToIntFunction<String> load) {
        RequestFacts f = new RequestFacts(null, 0, key);
        return rules.order(rules.eligible(set, f), f, load).getFirst().name();
    }

    private static RequestFacts facts(String body) {
        return RequestFacts.of(body.getBytes(StandardCharsets.UTF_8), name -> Optional.empty());
    }

    private static List<String> names(List<Backend> backends) {
        return backends.stream().map(Backend::name).toList();
    }

    static Backend backend(String name, String metadata) {
        try {
            ObjectNode meta = (ObjectNode) JSON.readTree(metadata);
            meta.put("type", "openai-api");
            return Backend.of(
                    new ServiceRecord(
                            name,
                            "127.0.0.1",
                            8000,
                            "h",
                            "http://127.0.0.1:8000",
                            "running",
                            "t",
                            1.0,
                            "unknown",
                            meta),
                    false);
        } catch (Exception ex) {
            throw new IllegalArgumentException(ex);
        }
    }
}
