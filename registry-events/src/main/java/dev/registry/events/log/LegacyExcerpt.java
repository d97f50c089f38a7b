package dev.registry.events.log;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;

/**
 * An excerpt as logs were written before events carried checksums (log format 0): the type
 * (Chronicle UTF-8: a stop-bit length, then the bytes), the schema version (stop bit), the time
 * (epoch micros, little-endian) and the payload to the excerpt's end. This build reads such logs
 * only to convert them ({@code registry-tools convert-log}); it serves none.
 */
final class LegacyExcerpt {

    private LegacyExcerpt() {}

    /** Whether the excerpt at {@code bytes}' read position is in the old format (read without moving). */
    public static boolean isLegacy(Bytes<?> bytes) {
        byte[] head = new byte[(int) Math.min(bytes.readRemaining(), 0x80)];
        for (int i = 0; i < head.length; i++) {
            head[i] = bytes.readByte(bytes.readPosition() + i);
        }
        return isLegacy(head);
    }

    /** Whether an excerpt starting with {@code head} is in the old format: a known type name, length first. */
    public static boolean isLegacy(byte[] head) {
        if (head.length < 1) {
            return false;
        }
        int length = head[0] & 0xFF;
        if (length == 0 || length >= 0x80 || length + 1 > head.length) {
            return false;
        }
        String name = new String(head, 1, length, StandardCharsets.UTF_8);
        for (String known : EventCodec.KNOWN_TYPES) {
            if (known.equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @throws IllegalStateException naming the conversion, when the log in {@code dir} is in the old format
     */
    public static void requireFramed(Path dir) {
        ChronicleFileCheck.firstEvent(dir).filter(LegacyExcerpt::isLegacy).ifPresent(head -> {
            throw new IllegalStateException(refusal(dir));
        });
    }

    /** Reads an old-format excerpt. */
    public static EncodedEvent read(Bytes<?> bytes) {
        String type = EventCodec.canonicalType(bytes.readUtf8());
        int version = Math.toIntExact(bytes.readStopBit());
        long micros = bytes.readLong();
        byte[] payload = new byte[Math.toIntExact(bytes.readRemaining())];
        bytes.read(payload);
        return new EncodedEvent(type, version, micros, payload);
    }

    /** Why a log in the old format is refused, and how to convert it. */
    public static String refusal(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        return "the log in " + abs + " was written before events carried checksums (log format 0), and this "
                + "registry serves only checked events. Convert it into a new directory with: registry-tools "
                + "convert-log --data-dir " + abs + " --to " + abs + "-v1 (every event is copied at its own index; "
                + abs + " is left as it is), then start on the new directory";
    }
}
