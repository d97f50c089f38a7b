package dev.registry.tools.timetravel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.EpochSeconds;
import dev.registry.api.ServiceRecord;
import dev.registry.cli.DurationConverter;
import dev.registry.cli.OnOffConverter;
import dev.registry.events.audit.HistoryUnavailableException;
import dev.registry.events.audit.TimeTravel;
import dev.registry.events.log.EventLog;
import dev.registry.events.projection.Projector;
import dev.registry.events.projection.RegistryView;
import dev.registry.tools.Table;
import dev.registry.tools.ToolCommand;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code at TIME}: the registry as it was at a moment. */
@Command(
        name = "at",
        mixinStandardHelpOptions = true,
        description = "Show the registry as it was at TIME (ISO-8601 or epoch seconds), health evaluated then.")
public final class AtCommand extends ToolCommand {

    @Parameters(index = "0", paramLabel = "TIME")
    String at;

    @Option(names = "--status", description = "Only records with this status.")
    String status;

    @Option(
            names = "--healthy",
            arity = "1",
            paramLabel = "true|false",
            converter = OnOffConverter.class,
            description = "Only healthy (true) or unhealthy (false) records.")
    Boolean healthy;

    @Option(
            names = "--heartbeat-ttl",
            defaultValue = "120s",
            converter = DurationConverter.class,
            description =
                    "The TTL the registry ran with, for is_healthy, written like the server's (default ${DEFAULT-VALUE}).")
    Duration ttl;

    @Override
    protected int run() throws Exception {
        Instant when = time(at, "TIME");
        try (EventLog events = log.open()) {
            RegistryView past;
            try {
                past = new TimeTravel(events, log.checkpoints(events)).atTime(when);
            } catch (HistoryUnavailableException ex) {
                throw new IllegalArgumentException(ex.getMessage(), ex); // a moment the log cannot answer: bad input
            }
            double now = Projector.epochSeconds(when);
            double ttlSeconds = ttl.toNanos() / 1e9;
            ObjectNode json = JSON.createObjectNode();
            ArrayNode services = json.putArray("services");
            Table table = new Table("NAME", "STATUS", "HEALTHY", "HEALTH_STATUS", "ADDRESS", "LAST_HEARTBEAT");
            for (ServiceRecord r : past.records()) {
                boolean isHealthy = r.isHealthyAt(now, ttlSeconds);
                if ((status != null && !status.equals(r.status())) || (healthy != null && healthy != isHealthy)) {
                    continue;
                }
                ObjectNode n = JSON.valueToTree(r);
                n.put("is_healthy", isHealthy);
                services.add(n);
                table.row(
                        r.name(),
                        r.status(),
                        isHealthy,
                        r.healthStatus(),
                        r.host() + ":" + r.port(),
                        EpochSeconds.plain(r.lastHeartbeat()));
            }
            json.put("total", services.size());
            json.put("at", when.toString());
            json.put("at_index", past.lastIndex());
            if (log.json) {
                printJson(json);
            } else {
                table.print(out());
                out().println(services.size() + " record(s) at " + when + " (log index " + past.lastIndex() + ")");
            }
            return 0;
        }
    }
}
