package dev.registry.server.node;

import dev.registry.events.audit.Checkpoints;
import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.log.EventLog;
import dev.registry.events.projection.RegistryView;
import dev.registry.server.discovery.ViewChanges;
import dev.registry.server.retention.Pruner;
import dev.registry.server.rules.HealthDeadlines;
import dev.registry.server.rules.HealthRules;
import dev.registry.server.write.Writes;
import io.helidon.webserver.http.HttpService;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The log side of a running registry: the log, the state replayed from it with the projections
 * kept beside it, how this node writes, and what it runs in the background. Either the one writer
 * of an embedded Chronicle log ({@code recovery.LocalNode}) or one node of several on a Kafka
 * topic ({@code replication.SharedNode}); the HTTP features above it see only this.
 *
 * @param log            the log, for the audit features and the event stream to read
 * @param view           the current state, replayed
 * @param writes         where commands go
 * @param history        each service's events, for history
 * @param checkpoints    copies of the view, for time travel
 * @param changes        wakes whoever waits for the view to move
 * @param rules          the health rules
 * @param deadlines      when each record next needs the health rules
 * @param mayActOnTime   whether this node may append time-driven events now (the lease holder's
 *                       privilege on a shared log; always with one writer)
 * @param stale          whether this node's state may lag the log now (it cannot reach the log)
 * @param evictionGrace  how long after this start no record may be evicted (the restart grace)
 * @param retention      the log's retention, when this node deletes old files itself
 * @param recovery       how this node rebuilt its state
 * @param routes         HTTP routes of the node's own, besides the features' (a shared-log node's snapshot)
 * @param meters         what the metrics read of the node's log side
 * @param lifecycle      what it starts once it serves, and stops last
 */
public record Node(
        EventLog log,
        RegistryView view,
        Writes writes,
        HistoryIndex history,
        Checkpoints checkpoints,
        ViewChanges changes,
        HealthRules rules,
        HealthDeadlines deadlines,
        BooleanSupplier mayActOnTime,
        BooleanSupplier stale,
        Duration evictionGrace,
        Optional<Pruner> retention,
        Recovery recovery,
        List<HttpService> routes,
        Meters meters,
        Lifecycle lifecycle) {

    /**
     * What the metrics read of a node's log side.
     *
     * @param writerQueue   commands waiting for the writer
     * @param logFiles      the log's files on this machine (none for a Kafka topic)
     * @param writerFailure what stopped the writer, if anything did (the node is then not live)
     * @param snapshotTime  the time of the snapshot the start loaded, if any
     */
    public record Meters(
            IntSupplier writerQueue,
            Supplier<List<Path>> logFiles,
            Supplier<Optional<Throwable>> writerFailure,
            Optional<Instant> snapshotTime) {}

    /**
     * How a node rebuilt its state.
     *
     * @param snapshotIndex  the snapshot it started from, if any
     * @param replayedEvents events replayed from the log (after the snapshot, if any)
     */
    public record Recovery(Optional<Long> snapshotIndex, long replayedEvents) {}

    /** What a node runs in the background once it serves, and how it stops. */
    public interface Lifecycle {

        /** Starts the background work (snapshots, retention, the lease): the node serves now. */
        void start();

        /**
         * Lets the writer finish what it accepted, stops the background work, closes the log and
         * lets go of the data directory.
         *
         * @return what the stop kept, for its one log line
         */
        String stop();
    }
}
