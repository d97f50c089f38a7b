package dev.registry.tools.stats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.events.event.HealthChecked;
import dev.registry.events.event.RegistryEvent;
import dev.registry.events.event.ServiceEvent;
import dev.registry.events.event.ServiceExpired;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.LoggedEvent;
import dev.registry.tools.Table;
import dev.registry.tools.ToolCommand;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stats}: what the log is made of, and which services flap. */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = "Count events per type and per service, and list the services with the most health flips.")
public final class StatsCommand extends ToolCommand {

    @Option(
            names = "--top",
            defaultValue = "10",
            description = "Services to list per ranking (default ${DEFAULT-VALUE}).")
    int top;

    @Override
    protected int run() throws Exception {
        Map<String, Long> perType = new TreeMap<>();
        Map<String, Long> perService = new HashMap<>();
        Map<String, Long> flips = new HashMap<>();
        long total = 0;
        try (EventLog events = log.open();
                EventReader reader = events.reader()) {
            for (LoggedEvent e = reader.next(); e != null; e = reader.next()) {
                RegistryEvent event = e.event();
                total++;
                perType.merge(EventCodec.typeOf(event), 1L, Long::sum);
                if (event instanceof ServiceEvent se) {
                    perService.merge(se.name(), 1L, Long::sum);
                }
                // a flip: an active check changing health_status, or a TTL expiry (healthy -> unhealthy)
                if (event instanceof HealthChecked || event instanceof ServiceExpired) {
                    flips.merge(((ServiceEvent) event).name(), 1L, Long::sum);
                }
            }
        }
        if (log.json) {
            ObjectNode json = JSON.createObjectNode();
            json.put("events", total);
            json.set("per_type", JSON.valueToTree(perType));
            json.set("per_service", JSON.valueToTree(ranked(perService, Integer.MAX_VALUE)));
            json.set("flapping", JSON.valueToTree(ranked(flips, top)));
            printJson(json);
            return 0;
        }
        out().println(total + " events, " + perService.size() + " services");
        Table types = new Table("TYPE", "EVENTS");
        perType.forEach(types::row);
        types.print(out());
        out().println();
        Table busiest = new Table("SERVICE", "EVENTS");
        ranked(perService, top).forEach(busiest::row);
        busiest.print(out());
        out().println();
        Table flapping = new Table("FLAPPING SERVICE", "HEALTH FLIPS");
        ranked(flips, top).forEach(flapping::row);
        flapping.print(out());
        return 0;
    }

    private static Map<String, Long> ranked(Map<String, Long> counts, int limit) {
        Map<String, Long> out = new LinkedHashMap<>();
        List<Map.Entry<String, Long>> sorted = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(limit)
                .toList();
        sorted.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
