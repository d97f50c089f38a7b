package dev.registry.server.rules;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.ServiceRecord;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.HeartbeatReceived;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.RegistryStarted;
import dev.registry.events.event.ServiceChanges;
import dev.registry.events.event.ServiceDeregistered;
import dev.registry.events.event.ServiceRegistered;
import dev.registry.events.event.ServiceUpdated;
import dev.registry.events.log.LoggedEvent;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The decider on a view built in memory: no server, no log, the time given. */
class CommandDeciderTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final RegistryView view = new RegistryView();
    private long index;

    private static Command.Register register(String name, String timestamp) {
        return register(name, timestamp, Integer.MAX_VALUE);
    }

    private static Command.Register register(String name, String timestamp, int recordLimit) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("model", "llama");
        return new Command.Register(
                name, "10.0.0.1", 8080, "box-1", "http://10.0.0.1:8080", "running", timestamp, metadata, recordLimit);
    }

    private void apply(List<RegistryEvent> events) {
        for (RegistryEvent e : events) {
            Projector.apply(view, new LoggedEvent(index++, e));
        }
    }

    private List<RegistryEvent> decided(Command command, Instant time) {
        return CommandDecider.decide(view, command, time).orElseThrow();
    }

    @Test
    void aNewRegistrationTakesTheServersTimeWhenTheClientSendsNone() {
        List<RegistryEvent> events = decided(register("a", null), T0);

        ServiceRegistered registered = (ServiceRegistered) events.getFirst();
        assertThat(events.size(), is(1));
        assertThat(registered.replaced(), is(false));
        assertThat(registered.record().timestamp(), is("2026-12-01T10:00:00.000000+00:00"));
        assertThat(registered.record().lastHeartbeat(), is(Projector.epochSeconds(T0)));
        assertThat(registered.record().healthStatus(), is(ServiceRecord.HEALTH_UNKNOWN));
        assertThat(registered.record().metadata().get("model").asText(), is("llama"));
    }

    @Test
    void aClientTimestampIsKeptAndARepeatRegistrationReplaces() {
        apply(decided(register("a", null), T0));

        ServiceRegistered again = (ServiceRegistered)
                decided(register("a", "yesterday"), T0.plusSeconds(1)).getFirst();

        assertThat(again.replaced(), is(true));
        assertThat(again.record().timestamp(), is("yesterday"));
    }

    @Test
    void aNewNameIsRefusedOnceTheRegistryHoldsItsLimitButAKnownOneStillReplaces() {
        apply(decided(register("a", null, 2), T0));
        apply(decided(register("b", null, 2), T0));

        RecordLimitReachedException full = assertThrows(
                RecordLimitReachedException.class, () -> CommandDecider.decide(view, register("c", null, 2), T0));

        assertThat(full.limit(), is(2));
        ServiceRegistered again =
                (ServiceRegistered) decided(register("b", null, 2), T0).getFirst();
        assertThat(again.replaced(), is(true));
    }

    @Test
    void changesToAnUnknownNameAreNotFound() {
        ServiceChanges port = new ServiceChanges(null, 9090, null, null, null, null);
        assertThat(CommandDecider.decide(view, new Command.Update("nobody", port), T0), is(Optional.empty()));
        assertThat(
                CommandDecider.decide(view, new Command.Heartbeat("nobody", null, "client"), T0), is(Optional.empty()));
        assertThat(CommandDecider.decide(view, new Command.Deregister("nobody"), T0), is(Optional.empty()));
        assertThat(
                CommandDecider.decide(view, new Command.RecordCheck("nobody", "healthy", "200", "probe", true), T0),
                is(Optional.empty()));
    }

    @Test
    void changesToAKnownNameBecomeOneEventEach() {
        apply(decided(register("a", null), T0));
        ServiceChanges port = new ServiceChanges(null, 9090, null, null, null, null);
        Instant t1 = T0.plusSeconds(5);

        assertThat(decided(new Command.Update("a", port), t1), contains(new ServiceUpdated(t1, "a", port)));
        assertThat(
                decided(new Command.Heartbeat("a", "draining", "client"), t1),
                contains(new HeartbeatReceived(t1, "a", "draining", "client")));
        assertThat(decided(new Command.Deregister("a"), t1), contains(new ServiceDeregistered(t1, "a")));
    }

    @Test
    void proposalsOnASharedLogDoNotWaitForTheViewToKnowTheName() {
        ServiceChanges port = new ServiceChanges(null, 9090, null, null, null, null);

        assertThat(
                CommandDecider.propose(view, new Command.Update("later", port), T0)
                        .orElseThrow(),
                contains(new ServiceUpdated(T0, "later", port)));
        assertThat(
                CommandDecider.propose(view, new Command.Heartbeat("later", null, "client"), T0)
                        .orElseThrow(),
                contains(new HeartbeatReceived(T0, "later", null, "client")));
        assertThat(
                CommandDecider.propose(view, new Command.Deregister("later"), T0)
                        .orElseThrow(),
                contains(new ServiceDeregistered(T0, "later")));
        // a check still needs the record: it compares with the status the record has
        assertThat(
                CommandDecider.propose(view, new Command.RecordCheck("later", "healthy", "200", "probe", true), T0),
                is(Optional.empty()));
    }

    @Test
    void aStartCarriesTheEndOfTheEvictionGrace() {
        List<RegistryEvent> events =
                decided(new Command.Start("1.0", Map.of("port", "8901"), Duration.ofMinutes(2)), T0);

        assertThat(events, contains(new RegistryStarted(T0, "1.0", Map.of("port", "8901"), T0.plusSeconds(120))));
    }

    @Test
    void aCheckRecordsOnlyAChangeOfHealthAndAHealthyProbeRefreshesTheHeartbeat() {
        apply(decided(register("a", null), T0));
        Instant t1 = T0.plusSeconds(3);

        List<RegistryEvent> first = decided(new Command.RecordCheck("a", "healthy", "200 OK", "probe", true), t1);
        assertThat(first.size(), is(2));
        assertThat(first.get(0), instanceOf(HealthChecked.class));
        assertThat(((HealthChecked) first.get(0)).oldStatus(), is(ServiceRecord.HEALTH_UNKNOWN));
        assertThat(first.get(1), is(new HeartbeatReceived(t1, "a", null, HeartbeatReceived.CAUSE_PROBE)));
        apply(first);

        assertThat(
                decided(new Command.RecordCheck("a", "healthy", "200 OK", "probe", false), t1.plusSeconds(1)),
                is(empty()));
        List<RegistryEvent> down =
                decided(new Command.RecordCheck("a", "unhealthy", "timeout", "probe", true), t1.plusSeconds(2));
        assertThat(down.size(), is(1));
        assertThat(((HealthChecked) down.getFirst()).newStatus(), is("unhealthy"));
    }

    @Test
    void theSameViewCommandAndTimeGiveTheSameEvents() {
        apply(decided(register("a", null), T0));
        Command beat = new Command.Heartbeat("a", null, "client");

        assertThat(decided(beat, T0.plusSeconds(1)), is(decided(beat, T0.plusSeconds(1))));
        assertThat(decided(register("b", null), T0), is(decided(register("b", null), T0)));
    }
}
