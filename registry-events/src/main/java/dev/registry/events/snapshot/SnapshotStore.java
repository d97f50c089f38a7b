package dev.registry.events.snapshot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.registry.api.ServiceRecord;
import dev.registry.api.VerbatimNumbers;
import dev.registry.events.audit.HistoryIndex;
import dev.registry.events.log.AtomicFile;
import dev.registry.events.projection.RegistryView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Snapshots on disk, in {@code <data-dir>/snapshots}, one file per snapshot named after its log
 * index. A file is an 8-byte magic, the CRC32C and length of the body, then the body (gzipped
 * JSON). It is written to a temporary file, forced to disk, and renamed into place, so a crash
 * leaves either the whole new snapshot or none. Loading takes the newest file that is whole and
 * skips, with a warning, any that is not.
 */
public final class SnapshotStore {

    private static final System.Logger LOG = System.getLogger(SnapshotStore.class.getName());
    private static final byte[] MAGIC = "REGSNAP1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int FORMAT = 1;
    /**
     * Metadata numbers stay as written through a snapshot too. Field names are not canonicalized:
     * the history is keyed by service name, and a symbol table of 200,000 names cost more than it saved.
     */
    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
                    .build())
            .addModule(VerbatimNumbers.module())
            .build();

    private static final ObjectReader RECORD = JSON.readerFor(ServiceRecord.class);
    private static final ObjectReader LONGS = JSON.readerFor(long[].class);
    private static final ObjectReader INTS = JSON.readerFor(int[].class);

    private static final String RETENTION_BASE = "retention-base.snap";
    private static final String INCOMING_PREFIX = "incoming-";

    private final Path dir;
    private final int keep;

    /**
     * @param dataDir the registry's data directory
     * @param keep    how many snapshots to keep (the newest)
     */
    public SnapshotStore(Path dataDir, int keep) {
        this.dir = dataDir.resolve("snapshots");
        this.keep = keep;
    }

    public Path directory() {
        return dir;
    }

    /** Writes {@code snapshot} durably and atomically, then deletes all but the newest {@code keep}. */
    public Path write(Snapshot snapshot) throws IOException {
        Path target = dir.resolve(String.format("snapshot-%020d.snap", snapshot.index()));
        writeAtomically(target, snapshot);
        prune();
        return target;
    }

    /**
     * Writes the retention base: the state just before the oldest event retention kept, so that
     * history stays answerable from there and a start never depends on deleted log files. It is
     * not one of the numbered snapshots and is never pruned with them.
     */
    public Path writeRetentionBase(Snapshot base) throws IOException {
        Path target = dir.resolve(RETENTION_BASE);
        writeAtomically(target, base);
        return target;
    }

    /** The retention base; empty when there is none or it is damaged (with a warning). */
    public Optional<Snapshot> loadRetentionBase() {
        Path file = dir.resolve(RETENTION_BASE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(read(file));
        } catch (IOException | RuntimeException ex) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the retention base " + file + ": " + ex.getMessage());
            return Optional.empty();
        }
    }

    private void writeAtomically(Path target, Snapshot snapshot) throws IOException {
        byte[] body = encode(snapshot);
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 16);
        header.put(MAGIC).putLong(crc.getValue()).putLong(body.length).flip();
        AtomicFile.write(target, header, ByteBuffer.wrap(body));
    }

    /**
     * Takes a snapshot file another node wrote (its bytes as {@link #files()} hold them): checked
     * whole (magic, checksum, contents) before it becomes one of this store's snapshots.
     *
     * @throws IOException when the bytes are not a whole snapshot
     */
    public Snapshot importFile(byte[] fileBytes) throws IOException {
        Files.createDirectories(dir);
        Path incoming = Files.createTempFile(dir, INCOMING_PREFIX, ".tmp");
        try {
            Files.write(incoming, fileBytes);
            Snapshot snapshot = read(incoming);
            write(snapshot);
            return snapshot;
        } finally {
            Files.deleteIfExists(incoming);
        }
    }

    /** The newest whole snapshot, skipping damaged ones with a warning; empty when there is none. */
    public Optional<Snapshot> loadNewest() {
        for (Path file : files()) {
            try {
                return Optional.of(read(file));
            } catch (IOException | RuntimeException ex) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "skipping snapshot " + file.getFileName() + ": " + ex.getMessage());
            }
        }
        return Optional.empty();
    }

    /** The index of the newest snapshot file, by its name (not read). */
    public java.util.OptionalLong newestIndex() {
        List<Path> all = files();
        if (all.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        return java.util.OptionalLong.of(indexOf(all.getFirst()));
    }

    /** The log index a snapshot file (one of {@link #files()}) was taken at, by its name. */
    public static long indexOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring("snapshot-".length(), name.length() - ".snap".length()));
    }

    /**
     * Deletes what a kill during a write left in the snapshot directory: a snapshot's temporary
     * file ({@code *.snap.tmp}, never renamed into place) and an import from another node not yet
     * checked ({@code incoming-*.tmp}). Only the process that writes snapshots may call this, at
     * its start: a reader beside a running server would delete the file it is writing.
     *
     * @return the files deleted
     */
    public List<Path> removeUnfinished() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> unfinished;
        try (var stream = Files.list(dir)) {
            unfinished = stream.filter(SnapshotStore::isUnfinished).toList();
        } catch (IOException ex) {
            LOG.log(System.Logger.Level.WARNING, "cannot list snapshots in " + dir + ": " + ex.getMessage());
            return List.of();
        }
        List<Path> removed = new ArrayList<>();
        for (Path file : unfinished) {
            try {
                Files.deleteIfExists(file);
                removed.add(file);
                LOG.log(
                        System.Logger.Level.INFO,
                        "removed " + file.getFileName()
                                + ", a snapshot file left unfinished by a stop during its write");
            } catch (IOException ex) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "cannot delete unfinished snapshot " + file + ": " + ex.getMessage());
            }
        }
        return removed;
    }

    private static boolean isUnfinished(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".snap.tmp") || (name.startsWith(INCOMING_PREFIX) && name.endsWith(".tmp"));
    }

    /** Snapshot files, newest first. */
    public List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var stream = Files.list(dir)) {
            return stream.filter(p -> p.getFileName().toString().matches("snapshot-\\d{20}\\.snap"))
                    .sorted(Comparator.comparing(Path::getFileName).reversed())
                    .toList();
        } catch (IOException ex) {
            LOG.log(System.Logger.Level.WARNING, "cannot list snapshots in " + dir + ": " + ex.getMessage());
            return List.of();
        }
    }

    static Snapshot read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte[] magic = new byte[MAGIC.length];
        if (bytes.length < MAGIC.length + 16) {
            throw new IOException("too short to be a snapshot");
        }
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IOException("not a snapshot file");
        }
        long crcValue = in.getLong();
        long length = in.getLong();
        if (length != in.remaining()) {
            throw new IOException("truncated: " + in.remaining() + " of " + length + " bytes");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, in.position(), in.remaining());
        if (crc.getValue() != crcValue) {
            throw new IOException("checksum mismatch");
        }
        try (InputStream body =
                        new GZIPInputStream(new java.io.ByteArrayInputStream(bytes, in.position(), in.remaining()));
                JsonParser p = JSON.createParser(body)) {
            Snapshot snapshot = decode(p);
            expect(p, p.nextToken() == null, "the end of the snapshot");
            return snapshot;
        }
    }

    private static byte[] encode(Snapshot s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (OutputStream gz = new GZIPOutputStream(bytes, 1 << 16);
                JsonGenerator g = JSON.createGenerator(gz)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeNumberField("index", s.index());
            g.writeStringField("last_event_time", s.view().lastEventTime().toString());
            g.writeStringField(
                    "eviction_grace_until", s.view().evictionGraceUntil().toString());
            if (s.view().lease().isPresent()) { // only on a log several nodes share
                RegistryView.Lease lease = s.view().lease().get();
                g.writeObjectFieldStart("lease");
                g.writeStringField("holder", lease.holder());
                g.writeNumberField("epoch", lease.epoch());
                g.writeStringField("until", lease.until().toString());
                g.writeEndObject();
            }
            g.writeArrayFieldStart("records");
            IOException[] failure = new IOException[1];
            s.view().forEachPlaced((order, record, expired) -> {
                try {
                    g.writeStartObject();
                    g.writeNumberField("order", order);
                    g.writeBooleanField("expired", expired);
                    g.writeFieldName("record");
                    JSON.writeValue(g, record);
                    g.writeEndObject();
                } catch (IOException ex) {
                    failure[0] = ex;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            g.writeEndArray();
            g.writeObjectFieldStart("history");
            for (var e : s.history().entrySet()) {
                HistoryIndex.Snapshot t = e.getValue();
                g.writeObjectFieldStart(e.getKey());
                g.writeFieldName("entries");
                g.writeArray(t.entries(), 0, t.entries().length);
                g.writeFieldName("heartbeats_before");
                g.writeArray(t.heartbeatsBefore(), 0, t.heartbeatsBefore().length);
                g.writeNumberField("heartbeats_after_last", t.heartbeatsAfterLast());
                g.writeNumberField("first_index", t.firstIndex());
                g.writeNumberField("last_index", t.lastIndex());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a snapshot's JSON as it streams out of the parser: a tree of the whole snapshot was half
     * of a start from it with 200,000 records, and a record read from the text keeps its numbers'
     * text (see {@link VerbatimNumbers}) without a copy through a token buffer.
     */
    private static Snapshot decode(JsonParser p) throws IOException {
        expect(p, p.nextToken() == JsonToken.START_OBJECT, "a snapshot object");
        Integer format = null;
        Long index = null;
        Instant lastEventTime = null;
        Instant graceUntil = null;
        RegistryView.Lease lease = null;
        List<RegistryView.PlacedRecord> placed = null;
        Map<String, HistoryIndex.Snapshot> timelines = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "format" -> {
                    format = p.getValueAsInt();
                    if (format != FORMAT) {
                        throw new IOException("unknown snapshot format " + p.getText());
                    }
                }
                case "index" -> index = p.getLongValue();
                case "last_event_time" -> lastEventTime = Instant.parse(p.getText());
                case "eviction_grace_until" -> graceUntil = Instant.parse(p.getText());
                case "lease" -> lease = readLease(JSON.readTree(p));
                case "records" -> placed = readRecords(p);
                case "history" -> timelines = readHistory(p);
                default -> p.skipChildren();
            }
        }
        if (format == null) {
            throw new IOException("unknown snapshot format (none)");
        }
        RegistryView view = RegistryView.restore(
                required(placed, "records"),
                required(index, "index"),
                required(lastEventTime, "last_event_time"),
                required(graceUntil, "eviction_grace_until"),
                lease);
        return new Snapshot(index, view, required(timelines, "history"));
    }

    private static List<RegistryView.PlacedRecord> readRecords(JsonParser p) throws IOException {
        expect(p, p.currentToken() == JsonToken.START_ARRAY, "an array of records");
        List<RegistryView.PlacedRecord> placed = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            Long order = null;
            Boolean expired = null;
            ServiceRecord record = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "order" -> order = p.getLongValue();
                    case "expired" -> expired = p.getBooleanValue();
                    case "record" -> record = RECORD.<ServiceRecord>readValue(p).withSharedText();
                    default -> p.skipChildren();
                }
            }
            placed.add(new RegistryView.PlacedRecord(
                    required(order, "order"), required(record, "record"), required(expired, "expired")));
        }
        expect(p, p.currentToken() == JsonToken.END_ARRAY, "the end of the records");
        return placed;
    }

    private static Map<String, HistoryIndex.Snapshot> readHistory(JsonParser p) throws IOException {
        expect(p, p.currentToken() == JsonToken.START_OBJECT, "the history object");
        Map<String, HistoryIndex.Snapshot> timelines = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            expect(p, p.nextToken() == JsonToken.START_OBJECT, "the timeline of " + name);
            long[] entries = null;
            int[] before = null;
            Integer afterLast = null;
            Long firstIndex = null;
            // snapshots written before this field: unknown, so kept until the name's next event
            long lastIndex = Long.MAX_VALUE;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "entries" -> entries = LONGS.readValue(p);
                    case "heartbeats_before" -> before = INTS.readValue(p);
                    case "heartbeats_after_last" -> afterLast = p.getIntValue();
                    case "first_index" -> firstIndex = p.getLongValue();
                    case "last_index" -> lastIndex = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
            required(entries, "entries");
            if (required(before, "heartbeats_before").length != entries.length) {
                throw new IOException("the timeline of " + name + " has " + entries.length + " entries and "
                        + before.length + " heartbeat counts");
            }
            timelines.put(
                    name,
                    new HistoryIndex.Snapshot(
                            entries,
                            before,
                            required(afterLast, "heartbeats_after_last"),
                            required(firstIndex, "first_index"),
                            lastIndex));
        }
        return timelines;
    }

    private static RegistryView.Lease readLease(JsonNode lease) {
        return lease.isObject()
                ? new RegistryView.Lease(
                        lease.required("holder").asText(),
                        lease.required("epoch").asLong(),
                        Instant.parse(lease.required("until").asText()))
                : null;
    }

    private static void expect(JsonParser p, boolean found, String what) throws IOException {
        if (!found) {
            throw new IOException("expected " + what + " at " + p.currentLocation() + ", found " + p.currentToken());
        }
    }

    private static <T> T required(T value, String field) throws IOException {
        if (value == null) {
            throw new IOException("no field " + field);
        }
        return value;
    }

    private void prune() {
        List<Path> all = files();
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            try {
                Files.deleteIfExists(old);
            } catch (IOException ex) {
                LOG.log(System.Logger.Level.WARNING, "cannot delete old snapshot " + old + ": " + ex.getMessage());
            }
        }
    }
}
