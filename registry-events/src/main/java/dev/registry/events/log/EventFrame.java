package dev.registry.events.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One event as bytes, the same whichever log holds it (a Chronicle excerpt, a Kafka record
 * value), with a CRC32C so that no damaged byte is ever read as an event:
 *
 * <pre>
 * offset  size  field
 * 0       1     format: 0xE1 (event frame, format 1)
 * 1       4     writer: who appended it, a random id per writer (big-endian; 0 = converted)
 * 5       1-5   length of the type name (unsigned LEB128), then the name (UTF-8)
 * .       1-5   schema version of the payload (unsigned LEB128)
 * .       8     time, epoch microseconds (big-endian)
 * .       n     payload, up to the last 4 bytes
 * end-4   4     CRC32C (big-endian) of the 8 bytes of the seed (big-endian), then of every byte above
 * </pre>
 *
 * <p>The seed is what the log binds the frame to besides its bytes: a log that knows an event's
 * position before writing it (Chronicle) passes the position, so an event read at any other
 * position fails the check; a log that does not (Kafka assigns offsets after the write) passes 0.
 * The check comes first: a frame whose checksum fails yields nothing, not even its type.
 *
 * <p>An instance is a reusable view of the last frame {@link #read} (one thread at a time); the
 * payload is not copied out of the array it was read from.
 */
public final class EventFrame {

    /** The frame format this code writes and reads. */
    public static final int FORMAT = 1;

    static final byte FORMAT_BYTE = (byte) 0xE1;
    private static final int CRC_BYTES = 4;
    /** Format, writer, an empty type, a one-byte version, the time and the checksum. */
    private static final int MIN_LENGTH = 1 + 4 + 1 + 1 + 8 + CRC_BYTES;

    private static final byte[][] KNOWN_TYPE_BYTES = Arrays.stream(EventCodec.KNOWN_TYPES)
            .map(t -> t.getBytes(StandardCharsets.UTF_8))
            .toArray(byte[][]::new);

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final CRC32C crc = new CRC32C();
    private final byte[] seedBytes = new byte[8];
    private int writer;
    private String type;
    private int version;
    private long timeMicros;
    private byte[] bytes;
    private int payloadOffset;
    private int payloadLength;

    /** The frame of {@code event}, in a new array. */
    public static byte[] encode(EncodedEvent event, int writer, long seed) {
        Encoder encoder = new Encoder();
        int length = encoder.encode(event, writer, seed);
        return Arrays.copyOf(encoder.buffer(), length);
    }

    /**
     * Reads the frame in {@code length} bytes of {@code in} from {@code offset}, bound to
     * {@code seed}; afterwards the accessors describe it.
     *
     * @throws DamagedEventException when the checksum does not match or the frame is malformed
     */
    public EventFrame read(byte[] in, int offset, int length, long seed) {
        if (length < MIN_LENGTH) {
            throw new DamagedEventException("frame too short (" + length + " bytes)");
        }
        int end = offset + length - CRC_BYTES;
        int stored = readInt(in, end);
        crc.reset();
        putLong(seedBytes, 0, seed);
        crc.update(seedBytes, 0, 8);
        crc.update(in, offset, length - CRC_BYTES);
        int computed = (int) crc.getValue();
        if (stored != computed) {
            throw new DamagedEventException(
                    String.format("checksum mismatch (stored %08x, computed %08x)", stored, computed));
        }
        if (in[offset] != FORMAT_BYTE) {
            throw new DamagedEventException(
                    String.format("unknown frame format byte %02x (written by a newer registry?)", in[offset] & 0xFF));
        }
        int pos = offset + 1;
        writer = readInt(in, pos);
        pos += 4;
        long typeLength = readVarint(in, pos, end);
        pos = (int) (typeLength >>> 32);
        int typeBytes = (int) typeLength;
        if (typeBytes < 0 || pos + typeBytes > end) {
            throw new DamagedEventException("frame fields overrun its end");
        }
        type = typeOf(in, pos, typeBytes);
        pos += typeBytes;
        long versionField = readVarint(in, pos, end);
        pos = (int) (versionField >>> 32);
        version = (int) versionField;
        if (pos + 8 > end) {
            throw new DamagedEventException("frame fields overrun its end");
        }
        timeMicros = readLong(in, pos);
        pos += 8;
        bytes = in;
        payloadOffset = pos;
        payloadLength = end - pos;
        return this;
    }

    /** Who appended the frame. */
    public int writer() {
        return writer;
    }

    public String type() {
        return type;
    }

    public int version() {
        return version;
    }

    public long timeMicros() {
        return timeMicros;
    }

    /** The array the frame was read from; the payload lies in it at {@link #payloadOffset()}. */
    public byte[] bytes() {
        return bytes;
    }

    public int payloadOffset() {
        return payloadOffset;
    }

    public int payloadLength() {
        return payloadLength;
    }

    /** The frame's event as stored, with its payload copied out. */
    public EncodedEvent encoded() {
        return new EncodedEvent(
                type, version, timeMicros, Arrays.copyOfRange(bytes, payloadOffset, payloadOffset + payloadLength));
    }

    /** Encodes frames into a buffer of its own, reused from one frame to the next (one thread at a time). */
    public static final class Encoder {
        private final CRC32C crc = new CRC32C();
        private final byte[] seedBytes = new byte[8];
        private byte[] buffer = new byte[256];

        /** Encodes the frame of {@code event} at the start of {@link #buffer()}; returns its length. */
        public int encode(EncodedEvent event, int writer, long seed) {
            byte[] typeBytes = typeBytes(event.type());
            byte[] payload = event.payload();
            int max = 1 + 4 + 5 + typeBytes.length + 5 + 8 + payload.length + CRC_BYTES;
            if (buffer.length < max) {
                buffer = new byte[Math.max(max, buffer.length * 2)];
            }
            byte[] out = buffer;
            out[0] = FORMAT_BYTE;
            putInt(out, 1, writer);
            int pos = putVarint(out, 5, typeBytes.length);
            System.arraycopy(typeBytes, 0, out, pos, typeBytes.length);
            pos = putVarint(out, pos + typeBytes.length, event.version());
            putLong(out, pos, event.timeMicros());
            pos += 8;
            System.arraycopy(payload, 0, out, pos, payload.length);
            pos += payload.length;
            crc.reset();
            putLong(seedBytes, 0, seed);
            crc.update(seedBytes, 0, 8);
            crc.update(out, 0, pos);
            putInt(out, pos, (int) crc.getValue());
            return pos + CRC_BYTES;
        }

        /** The last frame encoded, in its first {@code encode(...)} bytes. */
        public byte[] buffer() {
            return buffer;
        }
    }

    private static byte[] typeBytes(String type) {
        for (int i = 0; i < EventCodec.KNOWN_TYPES.length; i++) {
            if (EventCodec.KNOWN_TYPES[i].equals(type)) {
                return KNOWN_TYPE_BYTES[i];
            }
        }
        return type.getBytes(StandardCharsets.UTF_8);
    }

    /** The canonical type name in these bytes, without building a string for the known ones. */
    private static String typeOf(byte[] in, int offset, int length) {
        for (int i = 0; i < KNOWN_TYPE_BYTES.length; i++) {
            if (Arrays.equals(KNOWN_TYPE_BYTES[i], 0, KNOWN_TYPE_BYTES[i].length, in, offset, offset + length)) {
                return EventCodec.KNOWN_TYPES[i];
            }
        }
        return new String(in, offset, length, StandardCharsets.UTF_8);
    }

    /** An unsigned LEB128 value below 2^31 at {@code pos}: the position after it in the high half, the value in the low. */
    private static long readVarint(byte[] in, int pos, int end) {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            if (pos >= end) {
                throw new DamagedEventException("frame fields overrun its end");
            }
            int b = in[pos++] & 0xFF;
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (value < 0) {
                    break;
                }
                return ((long) pos << 32) | value;
            }
        }
        throw new DamagedEventException("frame has a malformed length or version");
    }

    private static int putVarint(byte[] out, int pos, int value) {
        while ((value & ~0x7F) != 0) {
            out[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[pos++] = (byte) value;
        return pos;
    }

    private static int readInt(byte[] in, int pos) {
        return (int) INT.get(in, pos);
    }

    private static long readLong(byte[] in, int pos) {
        return (long) LONG.get(in, pos);
    }

    private static void putInt(byte[] out, int pos, int value) {
        INT.set(out, pos, value);
    }

    private static void putLong(byte[] out, int pos, long value) {
        LONG.set(out, pos, value);
    }
}
