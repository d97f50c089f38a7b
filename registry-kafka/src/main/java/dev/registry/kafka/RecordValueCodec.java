package dev.registry.kafka;

import dev.registry.events.log.EncodedEvent;
import dev.registry.events.log.EventCodec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A record's value: the encoded event laid out exactly as the Chronicle log lays out an excerpt, so
 * that one reading of events serves both logs: the type (stop-bit length, UTF-8), the schema version
 * (stop bit), the time (epoch microseconds, 8 bytes little-endian), then the payload to the value's end.
 *
 * <p>The only place that knows the value's layout: when the log-independent checksummed frame of the
 * excerpt (issue 13) lands, this class is what switches to it.
 */
final class RecordValueCodec {

    private RecordValueCodec() {
    }

    static byte[] encode(EncodedEvent event) {
        byte[] type = event.type().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(type.length + event.payload().length + 16);
        writeStopBit(out, type.length);
        out.writeBytes(type);
        writeStopBit(out, event.version());
        out.writeBytes(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(event.timeMicros()).array());
        out.writeBytes(event.payload());
        return out.toByteArray();
    }

    /** @throws IllegalStateException when {@code value} is not an encoded event */
    static EncodedEvent decode(byte[] value) {
        if (value == null) {
            throw new IllegalStateException("a record without a value is not an encoded event");
        }
        ByteBuffer in = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int typeLength = readStopBit(in);
            byte[] type = new byte[typeLength];
            in.get(type);
            int version = readStopBit(in);
            long micros = in.getLong();
            byte[] payload = new byte[in.remaining()];
            in.get(payload);
            return new EncodedEvent(EventCodec.canonicalType(new String(type, StandardCharsets.UTF_8)), version, micros,
                    payload);
        } catch (RuntimeException ex) {
            throw new IllegalStateException("a record of " + value.length + " bytes is not an encoded event", ex);
        }
    }

    /** Chronicle's stop-bit form of a non-negative number: 7 bits a byte, low bits first, high bit = more. */
    private static void writeStopBit(ByteArrayOutputStream out, long n) {
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
    }

    private static int readStopBit(ByteBuffer in) {
        long n = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.get();
            n |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return Math.toIntExact(n);
            }
            if (shift > 28) {
                throw new IllegalStateException("stop-bit number too long");
            }
        }
    }
}
