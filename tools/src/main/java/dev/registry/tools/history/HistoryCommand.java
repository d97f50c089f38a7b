package dev.registry.tools.history;

import dev.registry.api.PlainJson;
import dev.registry.events.audit.AuditJson;
import dev.registry.events.audit.HistoryEntry;
import dev.registry.events.audit.HistoryPage;
import dev.registry.events.audit.HistoryQuery;
import dev.registry.events.audit.HistoryUnavailableException;
import dev.registry.events.audit.ServiceHistory;
import dev.registry.events.audit.TimeTravel;
import dev.registry.events.log.EventLog;
import dev.registry.tools.OfflineIndexes;
import dev.registry.tools.Table;
import dev.registry.tools.ToolCommand;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code history NAME}: what happened to a service, and when. */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "Show a service's lifecycle, oldest first, with the cause of every change.")
public final class HistoryCommand extends ToolCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "The service's name.")
    String name;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            description = "Only entries at or after TIME (ISO-8601 or epoch seconds).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only entries at or before TIME.")
    String until;

    @Option(
            names = "--limit",
            defaultValue = "10000",
            description = "At most this many entries (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--heartbeats", description = "List heartbeats too, instead of counting them.")
    boolean heartbeats;

    @Override
    protected int run() throws Exception {
        try (EventLog events = log.open()) {
            Instant from = since == null ? null : time(since, "--since");
            Instant to = until == null ? null : time(until, "--until");
            TimeTravel travel = new TimeTravel(events, log.checkpoints(events));
            try {
                // as the server: a moment before the log's history is bad input, not an empty answer
                if (from != null) {
                    travel.requireAvailable(from, "--since " + from);
                }
                if (to != null) {
                    travel.requireAvailable(to, "--until " + to);
                }
            } catch (HistoryUnavailableException ex) {
                throw new IllegalArgumentException(ex.getMessage(), ex);
            }
            HistoryQuery query = new HistoryQuery(name, from, to, limit, heartbeats);
            Optional<HistoryPage> page = new ServiceHistory(events, OfflineIndexes.history(events)).read(query);
            if (page.isEmpty()) {
                err().println("history: no history for service '" + name + "'");
                return 1;
            }
            if (log.json) {
                printJson(AuditJson.history(page.get(), !heartbeats));
                return 0;
            }
            // heartbeats listed one by one leave nothing to count between entries
            Table table = heartbeats
                    ? new Table("INDEX", "TIME", "TYPE", "CAUSE", "DETAILS")
                    : new Table("INDEX", "TIME", "TYPE", "CAUSE", "HEARTBEATS_BEFORE", "DETAILS");
            for (HistoryEntry e : page.get().entries()) {
                String details = abbreviate(PlainJson.text(e.fields()));
                if (heartbeats) {
                    table.row(e.index(), e.time(), e.type(), e.cause(), details);
                } else {
                    table.row(e.index(), e.time(), e.type(), e.cause(), e.heartbeatsBefore(), details);
                }
            }
            table.print(out());
            if (!heartbeats) {
                out().println(page.get().heartbeatsAfterLast() + " heartbeat(s) after the last entry"
                        + (page.get().more() ? "; more entries beyond --limit" : ""));
            }
            return 0;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }
}
