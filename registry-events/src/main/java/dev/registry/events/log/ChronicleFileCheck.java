package dev.registry.events.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks a Chronicle log's files before Chronicle opens them. Chronicle meets a damaged file
 * header with a raw exception, with a wait of a minute or more for a header "being written", or,
 * opening for writing, by growing an emptied file back and carrying on as if it had always been
 * empty. Read here, without Chronicle, each damage is one clear line, in milliseconds:
 *
 * <ul>
 *   <li>{@code metadata.cq4t} missing (while roll files remain) or its header damaged;</li>
 *   <li>the newest roll file {@code metadata.cq4t} records is gone;</li>
 *   <li>a roll file empty, zeroed at its start, cut short before its last event, or whose last
 *       event is marked unfinished or as metadata (which hides it from every reader).</li>
 * </ul>
 *
 * <p>It reads the few fields it needs in Chronicle's binary wire format: a file starts with a
 * metadata document (a 4-byte little-endian header: bit 31 "not complete", bit 30 "metadata", the
 * rest the length) holding {@code header: !SCQStore { writePosition: [position of the last
 * excerpt, ...] ... }} (roll files) or {@code header: !STStore} and {@code listing.highestCycle}
 * (the metadata file). A field it cannot find is not checked, so a later Chronicle layout makes
 * the check weaker, never wrong; {@code ChronicleFileCheckTest} pins the layout of today's version.
 */
public final class ChronicleFileCheck {

    /** The metadata file of a Chronicle queue. */
    public static final String METADATA = "metadata.cq4t";
    /** The suffix of a roll file. */
    public static final String ROLL_SUFFIX = ".cq4";

    private static final int NOT_COMPLETE = 0x8000_0000;
    private static final int META_DATA = 0x4000_0000;
    private static final int LENGTH_MASK = 0x3FFF_FFFF;
    private static final int HEAD_BYTES = 4096;
    private static final byte[] ROLL_FILE_HEADER = header("SCQStore");
    private static final byte[] METADATA_HEADER = header("STStore");
    private static final byte[] WRITE_POSITION = field("writePosition");
    private static final byte[] HIGHEST_CYCLE = field("listing.highestCycle");
    // Chronicle's binary wire codes used below
    private static final int PADDING = 0x8F;
    private static final int PADDING_32 = 0x8E;
    private static final int I64_ARRAY = 0x8D;
    private static final int INT64 = 0xA7;

    private ChronicleFileCheck() {}

    /**
     * One damaged file.
     *
     * @param file         the file
     * @param problem      what is wrong with it
     * @param blocksReading whether Chronicle cannot read the log as it is (a damaged header, a listed
     *                     file gone): the file must be set aside, or the metadata rebuilt, first;
     *                     otherwise the log reads up to the damage (a file cut short, a hidden last event)
     */
    public record Damage(Path file, String problem, boolean blocksReading) {
        /** One line: the file's name and the problem. */
        public String describe() {
            return file.getFileName() + ": " + problem;
        }
    }

    /** Whether {@code dir} holds any file of a Chronicle log. */
    public static boolean hasLogFiles(Path dir) {
        return Files.exists(dir.resolve(METADATA)) || !rollFiles(dir).isEmpty();
    }

    /** The damage in the log's files in {@code dir}, metadata first, then roll files oldest first; empty when intact. */
    public static List<Damage> find(Path dir) {
        List<Damage> damage = new ArrayList<>();
        List<Path> rolls = rollFiles(dir);
        Path metadata = dir.resolve(METADATA);
        long highestCycle = Long.MIN_VALUE;
        if (!Files.exists(metadata)) {
            if (!rolls.isEmpty()) {
                damage.add(new Damage(metadata, "missing, while " + rolls.size() + " roll file(s) remain", true));
            }
        } else {
            byte[] head = head(metadata);
            Optional<String> problem = headerProblem(metadata, head, METADATA_HEADER, "a Chronicle metadata file");
            if (problem.isPresent()) {
                damage.add(new Damage(metadata, problem.get(), true));
            } else {
                highestCycle = int64Field(head, HIGHEST_CYCLE).orElse(Long.MIN_VALUE);
            }
        }
        for (Path roll : rolls) {
            byte[] head = head(roll);
            Optional<String> header = headerProblem(roll, head, ROLL_FILE_HEADER, "a Chronicle roll file");
            if (header.isPresent()) {
                damage.add(new Damage(roll, header.get(), true));
            } else {
                tailProblem(roll, head).ifPresent(p -> damage.add(new Damage(roll, p, false)));
            }
        }
        if (highestCycle >= 0 && highestCycle <= Integer.MAX_VALUE) {
            int newest = (int) highestCycle;
            Optional<RollPeriod> period = rolls.isEmpty()
                    ? Optional.empty()
                    : RollPeriod.ofFileName(rolls.getLast().getFileName().toString());
            if (rolls.isEmpty()) {
                damage.add(new Damage(
                        metadata, "it records roll files up to cycle " + newest + ", but no roll file is left", true));
            } else if (period.isPresent()
                    && rolls.stream().noneMatch(f -> period.get().cycleOf(f).orElse(-1) == newest)) {
                // Chronicle's reader trips over a listed file that is gone
                damage.add(new Damage(
                        dir.resolve(period.get().fileName(newest)),
                        "missing: it is the newest roll file metadata.cq4t records",
                        true));
            }
        }
        return damage;
    }

    /**
     * @throws DamagedLogException naming the first damage, when there is any
     */
    public static void requireIntact(Path dir) {
        List<Damage> damage = find(dir);
        if (!damage.isEmpty()) {
            throw new DamagedLogException(dir, damage);
        }
    }

    /**
     * @throws DamagedLogException naming the first damage that keeps Chronicle from reading the log
     */
    public static void requireReadable(Path dir) {
        List<Damage> damage = find(dir).stream().filter(Damage::blocksReading).toList();
        if (!damage.isEmpty()) {
            throw new DamagedLogException(dir, damage);
        }
    }

    /**
     * The first bytes (up to 128) of the log's first event: the first data excerpt of the oldest
     * roll file, found by walking its documents from the start. Empty when the log has none (or
     * the oldest file's documents cannot be walked: the readers report that).
     */
    public static Optional<byte[]> firstEvent(Path dir) {
        List<Path> rolls = rollFiles(dir);
        if (rolls.isEmpty()) {
            return Optional.empty();
        }
        Path oldest = rolls.getFirst();
        long size = size(oldest);
        long pos = 0;
        while (pos + 4 <= size) {
            int word = intAt(oldest, pos);
            if (word == 0 || (word & NOT_COMPLETE) != 0) {
                return Optional.empty();
            }
            int length = word & LENGTH_MASK;
            if ((word & META_DATA) == 0) {
                return Optional.of(bytesAt(oldest, pos + 4, Math.min(length, 128)));
            }
            pos = (pos + 4 + length + 3) & ~3L;
        }
        return Optional.empty();
    }

    /** The log's roll files in {@code dir}, by name (oldest first). */
    public static List<Path> rollFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(ROLL_SUFFIX) && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        } catch (IOException ex) {
            throw new IllegalStateException("cannot list " + dir + ": " + ex.getMessage(), ex);
        }
    }

    /** What is wrong with the end of a roll file whose header is whole, if anything. */
    private static Optional<String> tailProblem(Path file, byte[] head) {
        Optional<Long> writePosition = firstOfI64Array(head, WRITE_POSITION);
        if (writePosition.isEmpty() || writePosition.get() <= 0) {
            return Optional.empty(); // no event written yet, or a layout this check does not know
        }
        long last = writePosition.get();
        long size = size(file);
        if (size < last + 4) {
            return Optional.of("cut short to " + size + " bytes; it records events up to byte " + last);
        }
        int word = intAt(file, last);
        if (word == 0) {
            return Optional.of("the header of its last event (byte " + last + ") is zeroed");
        }
        if ((word & NOT_COMPLETE) != 0) {
            return Optional.of("its last event (byte " + last + ") is marked unfinished, so no reader sees it");
        }
        if ((word & META_DATA) != 0) {
            return Optional.of("its last event (byte " + last + ") is marked as metadata, so no reader sees it");
        }
        long end = ((last + 4 + (word & LENGTH_MASK)) + 3) & ~3L;
        if (size < end + 4) {
            return Optional.of("cut short to " + size + " bytes; its last event ends at byte " + end);
        }
        return Optional.empty();
    }

    /** What is wrong with the metadata document a file starts with, if anything. */
    private static Optional<String> headerProblem(Path file, byte[] head, byte[] expected, String what) {
        long size = size(file);
        if (size == 0) {
            return Optional.of("empty (0 bytes)");
        }
        if (head.length < 4 + expected.length) {
            return Optional.of("cut short to " + size + " bytes, inside its header");
        }
        int word = ByteBuffer.wrap(head, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (word == 0 && isZero(head)) {
            return Optional.of("its first " + head.length + " bytes are zeroed: the header is gone");
        }
        if (word == 0 || (word & (NOT_COMPLETE | META_DATA)) != META_DATA) {
            return Optional.of("its header is damaged (header word " + String.format("%08x", word) + ")");
        }
        int length = word & LENGTH_MASK;
        if (4L + length > size) {
            return Optional.of("cut short to " + size + " bytes, inside its header (" + (4 + length) + " bytes)");
        }
        if (!Arrays.equals(head, 4, 4 + expected.length, expected, 0, expected.length)) {
            return Optional.of("its header is damaged: not " + what);
        }
        return Optional.empty();
    }

    /** The value of an int64 field named by {@code name} in {@code head}. */
    private static Optional<Long> int64Field(byte[] head, byte[] name) {
        int pos = valueAfter(head, name);
        if (pos < 0 || pos + 9 > head.length || (head[pos] & 0xFF) != INT64) {
            return Optional.empty();
        }
        return Optional.of(
                ByteBuffer.wrap(head, pos + 1, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }

    /** The first element of an int64-array field named by {@code name}: code, capacity, used, values. */
    private static Optional<Long> firstOfI64Array(byte[] head, byte[] name) {
        int pos = valueAfter(head, name);
        if (pos < 0 || pos + 25 > head.length || (head[pos] & 0xFF) != I64_ARRAY) {
            return Optional.empty();
        }
        ByteBuffer in = ByteBuffer.wrap(head, pos + 1, 24).order(ByteOrder.LITTLE_ENDIAN);
        long capacity = in.getLong();
        long used = in.getLong();
        return capacity < 1 || used < 1 ? Optional.empty() : Optional.of(in.getLong());
    }

    /** Where the value of the field named {@code name} starts, past any padding; -1 when not found. */
    private static int valueAfter(byte[] head, byte[] name) {
        int at = indexOf(head, name);
        if (at < 0) {
            return -1;
        }
        int pos = at + name.length;
        while (pos < head.length) {
            int code = head[pos] & 0xFF;
            if (code == PADDING) {
                pos++;
            } else if (code == PADDING_32 && pos + 5 <= head.length) {
                pos += 5
                        + ByteBuffer.wrap(head, pos + 1, 4)
                                .order(ByteOrder.LITTLE_ENDIAN)
                                .getInt();
            } else {
                return pos;
            }
        }
        return -1;
    }

    /** {@code header: !TYPE}: a field name of any length ("header"), then a type prefix. */
    private static byte[] header(String type) {
        byte[] name = "header".getBytes(StandardCharsets.US_ASCII);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[2 + name.length + 2 + t.length];
        out[0] = (byte) 0xB9;
        out[1] = (byte) name.length;
        System.arraycopy(name, 0, out, 2, name.length);
        out[2 + name.length] = (byte) 0xB6;
        out[3 + name.length] = (byte) t.length;
        System.arraycopy(t, 0, out, 4 + name.length, t.length);
        return out;
    }

    /** A field's name; Chronicle writes it after one code byte or two, depending on where, so only the name is matched. */
    private static byte[] field(String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static boolean isZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] head(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(HEAD_BYTES, ch.size()));
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read up to the head's size
            }
            return Arrays.copyOf(buf.array(), buf.position());
        } catch (IOException ex) {
            throw new IllegalStateException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    private static byte[] bytesAt(Path file, long position, int length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining() && ch.read(buf, position + buf.position()) >= 0) {
                // up to length bytes
            }
            return Arrays.copyOf(buf.array(), buf.position());
        } catch (IOException ex) {
            throw new IllegalStateException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    private static int intAt(Path file, long position) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.hasRemaining() && ch.read(buf, position + buf.position()) >= 0) {
                // four bytes
            }
            return buf.flip().remaining() == 4 ? buf.getInt() : 0;
        } catch (IOException ex) {
            throw new IllegalStateException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
    }
}
