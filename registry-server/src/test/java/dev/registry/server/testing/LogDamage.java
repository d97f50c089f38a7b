package dev.registry.server.testing;

import dev.registry.events.log.FileBytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Damages a log on disk the way a bad sector, a torn write or a stray command would. */
public final class LogDamage {

    private LogDamage() {}

    /**
     * One event's excerpt in a roll file: Chronicle's 4-byte header (little-endian length and
     * flags), then the event's frame.
     *
     * @param file   the roll file
     * @param header byte position of the excerpt's header
     * @param length length of the frame after the header
     */
    public record Excerpt(Path file, long header, int length) {
        /** Bytes of the excerpt, header included. */
        public int size() {
            return 4 + length;
        }
    }

    /**
     * Puts a quote into the first occurrence of {@code marker} (at its 7th byte) in the roll files
     * of {@code dataDir}: the payload that holds it changes, and so must fail its checksum.
     */
    public static void breakPayloadContaining(Path dataDir, String marker) throws IOException {
        changeByteOf(dataDir, marker, 6, '"');
    }

    /** Sets the byte {@code offset} into the first occurrence of {@code marker} in an event to {@code value}. */
    public static void changeByteOf(Path dataDir, String marker, int offset, char value) throws IOException {
        Excerpt excerpt = excerptContaining(dataDir, marker);
        byte[] bytes = Files.readAllBytes(excerpt.file());
        int at = indexOf(bytes, marker.getBytes(StandardCharsets.UTF_8), (int) excerpt.header());
        FileBytes.write(excerpt.file(), at + offset, new byte[] {(byte) value});
    }

    /** The first data excerpt (not Chronicle's metadata) whose frame contains {@code marker}. */
    public static Excerpt excerptContaining(Path dataDir, String marker) throws IOException {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        for (Path file : rollFiles(dataDir)) {
            byte[] bytes = Files.readAllBytes(file);
            int at = indexOf(bytes, needle, 0);
            ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int pos = 0; at >= 0 && pos + 4 <= all.limit(); ) {
                int word = all.getInt(pos);
                if (word == 0) {
                    break;
                }
                int length = word & 0x3FFF_FFFF;
                if (at < pos + 4 + length) {
                    if ((word & 0xC000_0000) == 0) {
                        return new Excerpt(file, pos, length);
                    }
                    at = indexOf(bytes, needle, pos + 4 + length); // in Chronicle's metadata: look further
                }
                pos = (pos + 4 + length + 3) & ~3;
            }
        }
        throw new AssertionError("marker " + marker + " not found in any event of " + dataDir);
    }

    /** The log's roll files, oldest first. */
    public static List<Path> rollFiles(Path dataDir) throws IOException {
        try (var files = Files.list(dataDir)) {
            return files.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
        }
    }

    /** The newest roll file. */
    public static Path newestRollFile(Path dataDir) throws IOException {
        return rollFiles(dataDir).getLast();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
