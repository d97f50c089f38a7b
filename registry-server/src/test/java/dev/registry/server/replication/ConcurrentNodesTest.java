package dev.registry.server.replication;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.log.LoggedEvent;
import dev.registry.kafka.testkit.KafkaClusterExtension;
import dev.registry.server.testing.Http;
import dev.registry.server.testing.KafkaNodes;
import dev.registry.server.testing.TestRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients register, delete and heartbeat the same few names concurrently through different
 * nodes. Every node ends in the same state, and every reply is what the contract says for the
 * log's order: a model that knows nothing of the registry's code folds the topic and judges each
 * reply at its event's place.
 */
class ConcurrentNodesTest {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.shared();

    @TempDir
    Path dir;

    private record Reply(String op, String name, int status, long index) {}

    @Test
    void everyReplyIsTrueForTheLogsOrderAndEveryNodeAgrees() throws Exception {
        try (KafkaNodes nodes = KafkaNodes.start(KAFKA.cluster(), dir, 3)) {
            ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
            ExecutorService clients = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < 6; c++) {
                long seed = c;
                done.add(clients.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 50; i++) {
                        Http node = nodes.node(random.nextInt(3)).http();
                        String name = "n-" + random.nextInt(4);
                        int op = random.nextInt(3);
                        Http.Reply r = switch (op) {
                            case 0 -> node.post("/services", Http.registration(name, 1 + random.nextInt(9), null));
                            case 1 -> node.send("DELETE", "/services/" + name, null);
                            default -> node.post("/services/" + name + "/heartbeat", "");
                        };
                        String index =
                                r.headers().firstValue("x-registry-index").orElse(null);
                        assertThat(r.body(), index, notNullValue());
                        replies.add(new Reply(
                                op == 0 ? "register" : op == 1 ? "delete" : "heartbeat",
                                name,
                                r.status(),
                                Long.parseLong(index)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            clients.shutdown();

            List<LoggedEvent> log = nodes.topicEvents();
            nodes.awaitAllAt(log.getLast().index());
            Map<Long, Boolean> heldAtItsPlace = model(log);
            Map<Long, Set<String>> presentAfter = presentAfter(log);
            Map<Long, RegistryEvent> byIndex = new HashMap<>();
            log.forEach(e -> byIndex.put(e.index(), e.event()));
            for (Reply r : replies) {
                RegistryEvent e = byIndex.get(r.index());
                assertThat(r + " names an event of the log", e, notNullValue());
                switch (r.op()) {
                    case "register" -> {
                        assertThat(
                                r.toString(),
                                e instanceof ServiceRegistered s && s.name().equals(r.name()),
                                is(true));
                        assertThat(r.toString(), r.status(), is(201));
                    }
                    case "delete" ->
                        judge(
                                r,
                                e instanceof ServiceDeregistered d && d.name().equals(r.name()),
                                heldAtItsPlace,
                                presentAfter);
                    default ->
                        judge(
                                r,
                                e instanceof HeartbeatReceived h && h.name().equals(r.name()),
                                heldAtItsPlace,
                                presentAfter);
                }
            }
            // the interleavings did race: some deletes and heartbeats found their record, some did not
            assertThat(replies.stream().anyMatch(r -> !r.op().equals("register") && r.status() == 404), is(true));
            assertThat(replies.stream().anyMatch(r -> r.op().equals("heartbeat") && r.status() == 200), is(true));
            var expected = nodes.fold().snapshot();
            for (TestRegistry n : nodes.all()) {
                assertThat(n.server().view().snapshot(), is(expected));
            }
            assertThat(modelNames(log), is(expected.keySet()));
        }
    }

    /**
     * A 200 is an event of its own that found its record at its place. A 404 is either an event
     * of its own that did not, or, when the node found no record and appended nothing, a place
     * in the log after which the name had none.
     */
    private static void judge(
            Reply r, boolean itsKindAndName, Map<Long, Boolean> held, Map<Long, Set<String>> presentAfter) {
        if (r.status() == 200) {
            assertThat(r.toString(), itsKindAndName && held.get(r.index()), is(true));
        } else {
            assertThat(r.toString(), r.status(), is(404));
            boolean skippedProposal = itsKindAndName && !held.get(r.index());
            assertThat(
                    r.toString(),
                    skippedProposal || !presentAfter.get(r.index()).contains(r.name()),
                    is(true));
        }
    }

    /** The contract in log order, by hand: whether each delete or heartbeat found its record. */
    private static Map<Long, Boolean> model(List<LoggedEvent> log) {
        Set<String> present = new HashSet<>();
        Map<Long, Boolean> held = new HashMap<>();
        for (LoggedEvent e : log) {
            switch (e.event()) {
                case ServiceRegistered s -> present.add(s.name());
                case ServiceDeregistered d -> held.put(e.index(), present.remove(d.name()));
                case HeartbeatReceived h -> held.put(e.index(), present.contains(h.name()));
                default -> {}
            }
        }
        return held;
    }

    /** The names present after each event. */
    private static Map<Long, Set<String>> presentAfter(List<LoggedEvent> log) {
        Set<String> present = new HashSet<>();
        Map<Long, Set<String>> after = new HashMap<>();
        for (LoggedEvent e : log) {
            switch (e.event()) {
                case ServiceRegistered s -> present.add(s.name());
                case ServiceDeregistered d -> present.remove(d.name());
                default -> {}
            }
            after.put(e.index(), Set.copyOf(present));
        }
        return after;
    }

    private static Set<String> modelNames(List<LoggedEvent> log) {
        Set<String> present = new HashSet<>();
        for (LoggedEvent e : log) {
            switch (e.event()) {
                case ServiceRegistered s -> present.add(s.name());
                case ServiceDeregistered d -> present.remove(d.name());
                default -> {}
            }
        }
        return present;
    }
}
