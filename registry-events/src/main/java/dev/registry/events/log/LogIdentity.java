package dev.registry.events.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What a data directory remembers about its log, in {@code DATA_DIR/identity.json}: that it holds
 * a registry (an id and the log's format), the index of the log's first event, and the writer that
 * has the log open. Written when the log is created, and again by every writer that opens it. With
 * it, a directory whose log went missing is told apart from a new one, and a second writer from
 * the first one coming back.
 *
 * @param registryId a random id, made when the log was created
 * @param logFormat  the {@link EventFrame#FORMAT frame format} of the log's events
 * @param created    when the log was created
 * @param firstIndex index of the log's first event; -1 while it holds none
 * @param writer     the writer that has the log open; empty once it closed it (a writer that died
 *                   without closing stays, and is told from a live one by its process)
 */
public record LogIdentity(String registryId, int logFormat, Instant created, long firstIndex, Optional<Writer> writer) {

    /** The file's name in the data directory. */
    public static final String FILE = "identity.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A writer: one opening of the log for appending, by one process.
     *
     * @param id           random, non-zero; every event it appends carries it ({@link EventFrame#writer()})
     * @param pid          its process
     * @param processStart when that process started, to tell it from a later process with the same pid
     * @param bootId       the machine's boot id (Linux), so a pid is compared only within one boot
     * @param since        when it opened the log
     */
    public record Writer(int id, long pid, Optional<Instant> processStart, Optional<String> bootId, Instant since) {

        /** A new writer in this process, with a fresh random id. */
        public static Writer current(Instant now) {
            int id;
            do {
                id = RANDOM.nextInt();
            } while (id == 0);
            ProcessHandle self = ProcessHandle.current();
            return new Writer(id, self.pid(), self.info().startInstant(), thisBootId(), now);
        }

        /** The id as people see it (8 hex digits). */
        public String idText() {
            return String.format("%08x", id);
        }

        /**
         * Whether this writer is a running process on this machine other than this one. A writer
         * recorded by another machine, or before a reboot, cannot be told: not alive as far as this
         * check goes (the OS lock and the log's check on every append still stand).
         */
        public boolean isAnotherLiveProcess() {
            if (bootId.isEmpty()
                    || !bootId.equals(thisBootId())
                    || pid == ProcessHandle.current().pid()) {
                return false;
            }
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .map(p -> processStart.isEmpty()
                            || p.info().startInstant().isEmpty()
                            || p.info().startInstant().equals(processStart))
                    .orElse(false);
        }

        /** Whether this writer is this process. */
        public boolean isThisProcess() {
            ProcessHandle self = ProcessHandle.current();
            return pid == self.pid() && processStart.equals(self.info().startInstant()) && bootId.equals(thisBootId());
        }

        private static Optional<String> thisBootId() {
            try {
                return Optional.of(Files.readString(Path.of("/proc/sys/kernel/random/boot_id"))
                        .trim());
            } catch (IOException | RuntimeException notLinux) {
                return Optional.empty();
            }
        }
    }

    /** The identity of a log created now. */
    public static LogIdentity create(Instant now, long firstIndex) {
        return new LogIdentity(UUID.randomUUID().toString(), EventFrame.FORMAT, now, firstIndex, Optional.empty());
    }

    public LogIdentity withWriter(Writer w) {
        return new LogIdentity(registryId, logFormat, created, firstIndex, Optional.of(w));
    }

    /** The identity once its writer closed the log: nobody has it open. */
    public LogIdentity withoutWriter() {
        return new LogIdentity(registryId, logFormat, created, firstIndex, Optional.empty());
    }

    public LogIdentity withFirstIndex(long index) {
        return new LogIdentity(registryId, logFormat, created, index, writer);
    }

    /**
     * The identity in {@code dataDir}; empty when there is none.
     *
     * @throws IllegalStateException when the file is there but cannot be read
     */
    public static Optional<LogIdentity> read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            Optional<Writer> writer = Optional.ofNullable(n.get("writer"))
                    .filter(JsonNode::isObject)
                    .map(w -> new Writer(
                            Integer.parseUnsignedInt(w.required("id").asText(), 16),
                            w.required("pid").asLong(),
                            text(w, "process_start").map(Instant::parse),
                            text(w, "boot_id"),
                            Instant.parse(w.required("since").asText())));
            return Optional.of(new LogIdentity(
                    n.required("registry_id").asText(),
                    n.required("log_format").asInt(),
                    Instant.parse(n.required("created").asText()),
                    n.path("first_index").asLong(-1),
                    writer));
        } catch (IOException | RuntimeException ex) {
            throw new IllegalStateException(
                    file + " cannot be read (" + ex.getMessage() + "): it says which registry "
                            + "this directory holds; restore it, or start with --repair to write it again",
                    ex);
        }
    }

    /** Writes the identity durably and atomically into {@code dataDir}. */
    public void write(Path dataDir) {
        ObjectNode n = JSON.createObjectNode();
        n.put("registry_id", registryId);
        n.put("log_format", logFormat);
        n.put("created", created.toString());
        n.put("first_index", firstIndex);
        writer.ifPresent(w -> {
            ObjectNode o = n.putObject("writer");
            o.put("id", w.idText());
            o.put("pid", w.pid());
            w.processStart().ifPresent(t -> o.put("process_start", t.toString()));
            w.bootId().ifPresent(b -> o.put("boot_id", b));
            o.put("since", w.since().toString());
        });
        try {
            AtomicFile.write(
                    dataDir.resolve(FILE),
                    ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n)));
        } catch (IOException ex) {
            throw new IllegalStateException("cannot write " + dataDir.resolve(FILE) + ": " + ex.getMessage(), ex);
        }
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }
}
