package dev.registry.server.discovery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.api.PlainJson;
import dev.registry.events.audit.Checkpoints;
import dev.registry.events.log.DamagedEventException;
import dev.registry.events.log.EventCodec;
import dev.registry.events.log.EventLog;
import dev.registry.events.log.EventReader;
import dev.registry.events.log.EventReader.IndexedEncodedEvent;
import dev.registry.server.http.ApiReplies;
import dev.registry.server.http.ApiRoute;
import dev.registry.server.http.DamagedLogReply;
import dev.registry.server.observe.RegistryMetrics;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /events/stream}: the log as Server-Sent Events, each with {@code id} = log index,
 * {@code event} = type and {@code data} = the event as JSON (the form of {@code GET /events}).
 *
 * <p>It resumes after {@code Last-Event-ID} (or at {@code ?from=INDEX}; with neither it starts at
 * the end, like {@code tail -f}), so a client that reconnects, also to a restarted server, misses
 * nothing and sees nothing twice. Every stream reads the log with its own reader on its own
 * virtual thread: a slow consumer only ever waits on its own socket, never holds up the writer or
 * other streams. Filters: {@code service}, {@code type}.
 */
public final class EventStream implements HttpService {

    public static final String PATH = "/events/stream";
    // a closed client shows only when a write fails: the first write after its close is taken, the
    // next fails; so an idle stream writes a comment every second and frees its reader within two
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(1);
    private static final int FLUSH_EVERY = 256;
    private static final ObjectMapper JSON = PlainJson.newMapper();
    private static final HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");

    /** The event type of a stream's last message when it met a damaged event in the log. */
    public static final String DAMAGED = "log-damaged";

    /** The event type telling a resuming client that it missed events retention deleted. */
    public static final String GAP = "history-gap";

    private final EventLog log;
    private final ViewChanges changes;
    private final EventCodec codec = new EventCodec();

    private final Supplier<Optional<Checkpoints.Checkpoint>> retentionFloor;
    private volatile RegistryMetrics metrics = RegistryMetrics.NONE;

    /** Records how far each stream has read into {@code recorder}. */
    public EventStream recordInto(RegistryMetrics recorder) {
        this.metrics = recorder;
        return this;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(ApiRoute.at(PATH, changes::index).getStream(this::handle).build());
    }

    /** @param retentionFloor the newest event retention deleted, if it deleted any */
    public EventStream(EventLog log, ViewChanges changes, Supplier<Optional<Checkpoints.Checkpoint>> retentionFloor) {
        this.log = log;
        this.changes = changes;
        this.retentionFloor = retentionFloor;
    }

    /**
     * A client resuming after an event retention has deleted the successors of missed them: it
     * is told so, in an event of a type it does not know (so a careful client resyncs), with the
     * newest deleted event's index as id, after which the stream is whole again.
     */
    private void writeGapIfAny(OutputStream out, long resumeAfter) throws IOException {
        Optional<Checkpoints.Checkpoint> floor = retentionFloor.get();
        if (floor.isEmpty() || resumeAfter >= floor.get().index()) {
            return;
        }
        ObjectNode gap = JSON.createObjectNode();
        gap.put("index", floor.get().index());
        gap.put("time", floor.get().time().toString());
        gap.put("type", GAP);
        gap.put("missed_after", resumeAfter);
        gap.put(
                "reason",
                "events up to index " + floor.get().index() + " were deleted by retention; "
                        + "fetch /services for the current state");
        write(
                out,
                "id: " + floor.get().index() + "\nevent: " + GAP + "\ndata: " + JSON.writeValueAsString(gap) + "\n\n");
    }

    public void handle(ServerRequest req, ServerResponse res) {
        Optional<String> lastEventId = req.headers().first(LAST_EVENT_ID);
        Optional<String> from = req.query().first("from").asOptional().filter(v -> !v.isEmpty());
        Optional<String> service = req.query().first("service").asOptional().filter(v -> !v.isEmpty());
        Optional<String> type = req.query().first("type").asOptional().filter(v -> !v.isEmpty());
        Long resumeAfter = lastEventId.map(v -> parseIndex(v)).orElse(null);
        Long startAt = from.map(v -> parseIndex(v)).orElse(null);
        if ((lastEventId.isPresent() && resumeAfter == null) || (from.isPresent() && startAt == null)) {
            ApiReplies.sendError(
                    req,
                    res,
                    400,
                    lastEventId.isPresent() && resumeAfter == null
                            ? "Header 'Last-Event-ID' must be a log index"
                            : "Parameter 'from' must be a log index");
            return;
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        if (ApiReplies.isHead(req)) {
            // Helidon frames every reply, so this one says Content-Length: 0 where the stream has none
            res.send();
            return;
        }
        try (RegistryMetrics.StreamPosition position = metrics.streamOpened();
                EventReader reader = log.reader();
                OutputStream out = res.outputStream()) {
            if (resumeAfter != null) {
                reader.seekAtOrAfter(resumeAfter + 1);
            } else if (startAt != null) {
                reader.seekAtOrAfter(startAt);
            } else {
                reader.seekAtOrAfter(Long.MAX_VALUE);
            }
            write(out, ": registry event stream\n\n");
            if (resumeAfter != null) {
                writeGapIfAny(out, resumeAfter);
            }
            out.flush();
            int unflushed = 0;
            while (!changes.isClosed()) {
                long seen = changes.index(); // read before the log, so no append slips between
                IndexedEncodedEvent e;
                try {
                    e = reader.nextEncoded();
                } catch (DamagedEventException damaged) {
                    // never the damaged data: say where the log is damaged, and end the stream
                    DamagedLogReply.logOnce(damaged);
                    write(out, "event: " + DAMAGED + "\ndata: ");
                    out.write(DamagedLogReply.body(damaged));
                    write(out, "\n\n");
                    return;
                }
                if (e == null) {
                    position.caughtUp();
                    if (unflushed > 0) {
                        out.flush();
                        unflushed = 0;
                    }
                    if (changes.awaitAbove(seen, KEEP_ALIVE) <= seen) {
                        write(out, ": keep-alive\n\n");
                        out.flush();
                    }
                    continue;
                }
                position.read(e.encoded().timeMicros());
                ObjectNode event = codec.describe(e.index(), e.encoded());
                if (type.map(t -> !t.equals(e.encoded().type())).orElse(false)
                        || service.map(s -> !s.equals(EventCodec.serviceOf(event)))
                                .orElse(false)) {
                    continue;
                }
                write(
                        out,
                        "id: " + e.index() + "\nevent: " + e.encoded().type() + "\ndata: "
                                + JSON.writeValueAsString(event) + "\n\n");
                if (++unflushed >= FLUSH_EVERY) {
                    out.flush();
                    unflushed = 0;
                }
            }
        } catch (IOException | UncheckedIOException gone) {
            // the client went away: its stream ends here, nothing else is affected
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static Long parseIndex(String value) {
        try {
            long n = Long.parseLong(value.trim());
            return n >= 0 ? n : null;
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
