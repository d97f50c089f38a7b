package dev.registry.server.replication;

import dev.registry.events.snapshot.Snapshot;
import dev.registry.events.snapshot.SnapshotStore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code --bootstrap-from URL}: a node that starts after Kafka deleted the topic's beginning
 * loads the newest snapshot of a running node ({@link SnapshotSource}), checked whole, and
 * replays the topic from there.
 */
final class SnapshotDownload {

    private static final System.Logger LOG = System.getLogger(SnapshotDownload.class.getName());

    private SnapshotDownload() {}

    /**
     * @param firstRetained the topic's first offset: the snapshot must reach at least the one before it
     * @throws IllegalStateException with one line when the node cannot give a snapshot that reaches far enough
     */
    static Snapshot into(SnapshotStore store, URI node, String token, long firstRetained) {
        URI source = URI.create(node.toString().replaceAll("/+$", "") + SnapshotSource.PATH);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(source).timeout(Duration.ofMinutes(2)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<byte[]> reply = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (reply.statusCode() != 200) {
                throw new IllegalStateException("--bootstrap-from " + node + " answered " + reply.statusCode() + ": "
                        + new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
            Snapshot snapshot = store.importFile(reply.body());
            if (snapshot.index() + 1 < firstRetained) {
                throw new IllegalStateException(
                        "--bootstrap-from " + node + " gave a snapshot at offset " + snapshot.index()
                                + ", but Kafka holds the topic only from offset " + firstRetained
                                + ": wait for that node's next snapshot and start again");
            }
            LOG.log(Level.INFO, "loaded the snapshot at offset {0} from {1}", String.valueOf(snapshot.index()), node);
            return snapshot;
        } catch (IOException ex) {
            throw new IllegalStateException("--bootstrap-from " + node + ": " + ex.getMessage(), ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading a snapshot from " + node, ex);
        }
    }
}
