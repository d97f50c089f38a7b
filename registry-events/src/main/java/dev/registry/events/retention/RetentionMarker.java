package dev.registry.events.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.registry.events.log.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What retention has deleted from a log, in {@code <data-dir>/retention.json}: every event up to
 * and including {@link #throughIndex()}. It outlives the retention base snapshot on purpose: with
 * the marker but without a readable base, nobody can tell the log's state from its files, and a
 * start must refuse instead of replaying what is left as if it were the whole log.
 *
 * @param throughIndex       index of the newest deleted event; the retention base is the state after it
 * @param throughTime        time of that event: history is answerable from then on
 * @param firstRetainedIndex index of the oldest event kept; -1 when none was (a {@code --repair} that
 *                           started the log afresh after the base): the first event after the base
 */
public record RetentionMarker(long throughIndex, Instant throughTime, long firstRetainedIndex) {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "retention.json";

    /** The marker in {@code dataDir}; empty when retention never deleted anything there. */
    public static Optional<RetentionMarker> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return Optional.of(new RetentionMarker(
                    n.required("through_index").asLong(),
                    Instant.parse(n.required("through_time").asText()),
                    n.required("first_retained_index").asLong()));
        } catch (IOException | RuntimeException ex) {
            // unreadable: the log may have been pruned, and nothing says how far
            throw new IllegalStateException(
                    "cannot read " + file + " (" + ex.getMessage() + "): it records which "
                            + "log files retention deleted; refusing to guess",
                    ex);
        }
    }

    /** Writes the marker durably and atomically into {@code dataDir}. */
    public void write(Path dataDir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("through_index", throughIndex);
        n.put("through_time", throughTime.toString());
        n.put("first_retained_index", firstRetainedIndex);
        AtomicFile.write(
                dataDir.resolve(FILE),
                ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n)));
    }
}
