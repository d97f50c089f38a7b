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
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /events/stream}: the log as Server-Sent Events, each with {@code id} = log index,
 * {@code event} = type and {@code data} = the event as JSON (the form of {@code GET /events}).
 *
 * <p>It resumes after {@code Last-Event-ID} (or at {@code ?from=INDEX}; with neither it starts at
 * the end, like {@code tail -f}), so a client that reconnects, also to a restarted server, misses
 * nothing and sees nothing twice. A stream catches up on its own reader, then joins the
 * {@link EventFanOut}, which reads new events once for all streams and never waits on one: a
 * stream that falls too far behind gets a {@code reset} (with the index it reached) and is closed,
 * and its client resumes from the log. Filters: {@code service}, {@code type}.
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

    /** The event type of a stream's last message when it fell too far behind the log. */
    public static final String RESET = "reset";

    /** The bound of each stream's queue in the fan-out, in events and in bytes. */
    static final int MAX_QUEUED_EVENTS = 4096;

    static final long MAX_QUEUED_BYTES = 4L << 20;

    private final EventLog log;
    private final ViewChanges changes;
    private final EventCodec codec = new EventCodec();
    private final EventFanOut fanOut;

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
        this.fanOut = new EventFanOut(log, changes, codec, MAX_QUEUED_EVENTS, MAX_QUEUED_BYTES);
        fanOut.onDrop(() -> metrics.streamReset());
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
        Subscription subscription = null;
        try (RegistryMetrics.StreamPosition position = metrics.streamOpened();
                OutputStream out = res.outputStream()) {
            Sender sender = new Sender(out, service.orElse(null), type.orElse(null), position);
            try (EventReader reader = log.reader()) {
                if (resumeAfter != null) {
                    sender.lastRead = resumeAfter;
                    reader.seekAtOrAfter(resumeAfter + 1);
                } else if (startAt != null) {
                    sender.lastRead = startAt - 1;
                    reader.seekAtOrAfter(startAt);
                } else {
                    sender.lastRead = changes.index(); // the log reaches at least this far
                    reader.seekAtOrAfter(Long.MAX_VALUE);
                }
                write(out, ": registry event stream\n\n");
                if (resumeAfter != null) {
                    writeGapIfAny(out, resumeAfter);
                }
                out.flush();
                // catch up on its own reader, then join the fan-out and read what came in meanwhile:
                // from then on the fan-out has every event the reader did not (duplicates are skipped)
                if (!sender.readToEnd(reader)) {
                    return;
                }
                subscription = fanOut.subscribe().orElse(null);
                if (!sender.readToEnd(reader)) {
                    return;
                }
                if (subscription == null) {
                    sender.follow(reader);
                    return;
                }
            }
            sender.follow(subscription);
        } catch (IOException | UncheckedIOException gone) {
            // the client went away: its stream ends here, nothing else is affected
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } finally {
            if (subscription != null) {
                fanOut.unsubscribe(subscription);
            }
        }
    }

    /** Sends one stream's messages: filters, flushes in batches, and knows the last index it read. */
    private final class Sender {
        private final OutputStream out;
        private final String service;
        private final String type;
        private final RegistryMetrics.StreamPosition position;
        /** The last log index this stream read (sent or filtered out); -1 before any. */
        long lastRead;

        private int unflushed;

        Sender(OutputStream out, String service, String type, RegistryMetrics.StreamPosition position) {
            this.out = out;
            this.service = service;
            this.type = type;
            this.position = position;
        }

        void send(SseFrame frame) throws IOException {
            if (frame.index() <= lastRead) {
                return; // read on its own reader before it joined the fan-out
            }
            lastRead = frame.index();
            position.read(frame.timeMicros());
            if (!frame.matches(service, type)) {
                return;
            }
            out.write(frame.bytes());
            if (++unflushed >= FLUSH_EVERY) {
                out.flush();
                unflushed = 0;
            }
        }

        void caughtUp() throws IOException {
            position.caughtUp();
            if (unflushed > 0) {
                out.flush();
                unflushed = 0;
            }
        }

        void keepAlive() throws IOException {
            write(out, ": keep-alive\n\n");
            out.flush();
        }

        /**
         * Sends what the log holds after {@code lastRead} until the reader is at its end.
         *
         * @return false when it met a damaged event (and said so: the stream ends)
         */
        boolean readToEnd(EventReader reader) throws IOException {
            while (true) {
                IndexedEncodedEvent e;
                try {
                    e = reader.nextEncoded();
                } catch (DamagedEventException damaged) {
                    // never the damaged data: say where the log is damaged, and end the stream
                    DamagedLogReply.logOnce(damaged);
                    write(out, "event: " + DAMAGED + "\ndata: ");
                    out.write(DamagedLogReply.body(damaged));
                    write(out, "\n\n");
                    return false;
                }
                if (e == null) {
                    return true;
                }
                send(SseFrame.of(e, codec));
            }
        }

        /** Follows the log on the stream's own reader (when the fan-out cannot serve it). */
        void follow(EventReader reader) throws IOException, InterruptedException {
            while (!changes.isClosed()) {
                long seen = changes.index(); // read before the log, so no append slips between
                if (!readToEnd(reader)) {
                    return;
                }
                caughtUp();
                if (changes.awaitAbove(seen, KEEP_ALIVE) <= seen) {
                    keepAlive();
                }
            }
        }

        /** Follows the fan-out until the server stops, or the fan-out drops the stream. */
        void follow(Subscription subscription) throws IOException, InterruptedException {
            while (true) {
                SseFrame frame = subscription.poll();
                if (frame == null) {
                    caughtUp();
                    frame = subscription.next();
                }
                String dropped = subscription.dropReason();
                if (dropped != null) {
                    sendReset(dropped);
                    return;
                }
                if (frame != null) {
                    send(frame);
                } else if (subscription.ended()) {
                    byte[] lastWords = subscription.lastWords();
                    if (lastWords != null) {
                        out.write(lastWords);
                    }
                    return;
                } else {
                    keepAlive();
                }
            }
        }

        /**
         * Tells the client it fell behind and ends the stream: {@code id:} is the last index it
         * read, so a reconnect with that {@code Last-Event-ID} resumes from the log exactly there.
         */
        private void sendReset(String reason) throws IOException {
            ObjectNode reset = JSON.createObjectNode();
            reset.put("index", lastRead);
            reset.put("time", Instant.now().toString());
            reset.put("type", RESET);
            reset.put("reason", reason + "; reconnect with Last-Event-ID to resume from the log");
            write(
                    out,
                    (lastRead >= 0 ? "id: " + lastRead + "\n" : "") + "event: " + RESET + "\ndata: "
                            + JSON.writeValueAsString(reset) + "\n\n");
            out.flush();
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
