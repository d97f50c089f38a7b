package dev.registry.tools.timetravel;

import dev.registry.api.PlainJson;
import dev.registry.api.ServiceRecord;
import dev.registry.events.audit.AuditJson;
import dev.registry.events.audit.HistoryUnavailableException;
import dev.registry.events.audit.RegistryDiff;
import dev.registry.events.audit.TimeTravel;
import dev.registry.events.log.EventLog;
import dev.registry.tools.Table;
import dev.registry.tools.ToolCommand;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code diff T1 T2}: what changed between two moments. */
@Command(
        name = "diff",
        mixinStandardHelpOptions = true,
        description = "Show records added, removed and changed (field by field), and health flips, between T1 and T2.")
public final class DiffCommand extends ToolCommand {

    @Parameters(index = "0", paramLabel = "T1")
    String from;

    @Parameters(index = "1", paramLabel = "T2")
    String to;

    @Override
    protected int run() throws Exception {
        Instant t1 = time(from, "T1");
        Instant t2 = time(to, "T2");
        if (t2.isBefore(t1)) {
            throw new IllegalArgumentException("T2 is before T1");
        }
        try (EventLog events = log.open()) {
            RegistryDiff diff;
            try {
                diff = new TimeTravel(events, log.checkpoints(events)).diff(t1, t2);
            } catch (HistoryUnavailableException ex) {
                throw new IllegalArgumentException(ex.getMessage(), ex); // a moment the log cannot answer: bad input
            }
            if (log.json) {
                printJson(AuditJson.diff(diff));
                return 0;
            }
            Table table = new Table("CHANGE", "NAME", "DETAILS");
            for (ServiceRecord r : diff.added()) {
                table.row("added", r.name(), r.host() + ":" + r.port() + " " + r.status());
            }
            for (ServiceRecord r : diff.removed()) {
                table.row("removed", r.name(), r.host() + ":" + r.port() + " " + r.status());
            }
            for (RegistryDiff.Change c : diff.changed()) {
                c.fields()
                        .forEach((field, values) -> table.row(
                                "changed",
                                c.name(),
                                field + ": " + PlainJson.text(values.get(0)) + " -> " + PlainJson.text(values.get(1))));
            }
            for (RegistryDiff.HealthFlip f : diff.flips()) {
                table.row(
                        "health",
                        f.name(),
                        f.time() + " " + f.type() + " " + f.from() + " -> " + f.to() + " (" + f.detail() + ")");
            }
            table.print(out());
            out().println(diff.added().size() + " added, " + diff.removed().size() + " removed, "
                    + diff.changed().size() + " changed, " + diff.flips().size() + " health flip(s)");
            return 0;
        }
    }
}
