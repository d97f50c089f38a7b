package dev.registry.events.log;

import dev.registry.events.event.HeartbeatReceived;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Version 2 of the {@code heartbeat} payload: name, status and cause as length-prefixed UTF-8
 * (lengths as unsigned LEB128; status length stored plus one, zero meaning "no status").
 */
final class BinaryHeartbeat {

    private BinaryHeartbeat() {}

    static byte[] encode(HeartbeatReceived beat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + beat.name().length());
        writeString(out, beat.name(), 0);
        if (beat.status() == null) {
            writeLength(out, 0);
        } else {
            writeString(out, beat.status(), 1);
        }
        writeString(out, beat.cause(), 0);
        return out.toByteArray();
    }

    /** Decodes the payload in {@code length} bytes of {@code in} from {@code offset}. */
    static HeartbeatReceived decode(Instant time, byte[] in, int offset, int length) {
        int end = offset + length;
        int[] pos = {offset};
        String name = readString(in, end, pos, 0);
        String status = readString(in, end, pos, 1);
        String cause = known(readString(in, end, pos, 0));
        if (name == null || cause == null || pos[0] != end) {
            throw new IllegalStateException("binary heartbeat payload is malformed");
        }
        return new HeartbeatReceived(time, name, status, cause);
    }

    /** The shared constant for the usual causes, so a replay keeps one copy of each. */
    private static String known(String cause) {
        if (HeartbeatReceived.CAUSE_CLIENT.equals(cause)) {
            return HeartbeatReceived.CAUSE_CLIENT;
        }
        return HeartbeatReceived.CAUSE_PROBE.equals(cause) ? HeartbeatReceived.CAUSE_PROBE : cause;
    }

    private static void writeString(ByteArrayOutputStream out, String s, int bias) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeLength(out, bytes.length + bias);
        out.writeBytes(bytes);
    }

    private static void writeLength(ByteArrayOutputStream out, int n) {
        while ((n & ~0x7F) != 0) {
            out.write((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        out.write(n);
    }

    /** The string at {@code pos} (before {@code end}), or null for a biased zero length. */
    private static String readString(byte[] in, int end, int[] pos, int bias) {
        int n = 0;
        int shift = 0;
        while (true) {
            if (pos[0] >= end || shift > 28) {
                throw new IllegalStateException("binary heartbeat payload is truncated");
            }
            int b = in[pos[0]++] & 0xFF;
            n |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        if (bias == 1 && n == 0) {
            return null;
        }
        n -= bias;
        if (n < 0 || pos[0] + n > end) {
            throw new IllegalStateException("binary heartbeat payload is truncated");
        }
        String s = new String(in, pos[0], n, StandardCharsets.UTF_8);
        pos[0] += n;
        return s;
    }
}
