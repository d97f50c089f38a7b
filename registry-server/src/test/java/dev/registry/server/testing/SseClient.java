package dev.registry.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Reads a Server-Sent Events stream in the background and keeps every event it saw. */
public final class SseClient implements AutoCloseable {

    /** One event: its id, type and data. */
    public record Event(long id, String type, String data) {}

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final InputStream body;
    private final Thread reader;
    private final int status;

    private SseClient(HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.body = response.body();
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** Connects to {@code path}, resuming after {@code lastEventId} when not null. */
    public static SseClient connect(String base, String path, Long lastEventId) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", Long.toString(lastEventId));
        }
        try {
            return new SseClient(
                    HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            parse(in, events);
        } catch (IOException closed) {
            // closed by us or by the server
        }
    }

    /** The events of a stream's whole text (as a raw socket read it). */
    public static List<Event> parse(String text) {
        List<Event> events = new ArrayList<>();
        try {
            parse(new BufferedReader(new StringReader(text)), events);
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        return events;
    }

    private static void parse(BufferedReader in, List<Event> events) throws IOException {
        Long id = null;
        String type = null;
        StringBuilder data = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                if (id != null || type != null) {
                    events.add(new Event(id == null ? -1 : id, type, data.toString())); // -1: an event without id
                }
                id = null;
                type = null;
                data.setLength(0);
            } else if (line.startsWith("id: ")) {
                id = Long.parseLong(line.substring(4));
            } else if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6));
            }
        }
    }

    public int status() {
        return status;
    }

    public List<Event> events() {
        return events;
    }

    public List<Long> ids() {
        return events.stream().map(Event::id).toList();
    }

    /** Whether the server ended the stream. */
    public boolean ended() {
        return !reader.isAlive();
    }

    @Override
    public void close() {
        try {
            body.close();
            reader.join();
        } catch (IOException ignored) {
            // already closed
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
