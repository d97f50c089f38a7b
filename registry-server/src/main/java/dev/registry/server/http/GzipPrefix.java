package dev.registry.server.http;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A body compressed once whose last bytes are fresh per reply: the gzip form of a cached list
 * whose {@code timestamp} is written per request. The prefix is deflated once and flushed to a
 * byte boundary; each reply appends its own bytes as a final stored (uncompressed) deflate block
 * and the gzip trailer, so a reply costs a few dozen bytes of work, not a compression. The result
 * is one ordinary gzip member (RFC 1952) that any decoder reads.
 */
public final class GzipPrefix {

    /** Magic, deflate, no flags, no modification time, no extra flags, OS unknown. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** A stored block holds at most this many bytes. */
    private static final int MAX_STORED = 0xffff;

    private static final int[] CRC_TABLE = crcTable();

    private final byte[] compressed;
    private final int prefixCrc;
    private final int prefixLength;

    private GzipPrefix(byte[] compressed, int prefixCrc, int prefixLength) {
        this.compressed = compressed;
        this.prefixCrc = prefixCrc;
        this.prefixLength = prefixLength;
    }

    /** Compresses {@code prefix} (the part of the body every reply shares). */
    public static GzipPrefix of(byte[] prefix) {
        // BEST_SPEED: a list is compressed again after every change, and it still shrinks JSON lists about tenfold
        Deflater deflater = new Deflater(Deflater.BEST_SPEED, true);
        try {
            deflater.setInput(prefix);
            ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length / 8 + 64);
            out.writeBytes(HEADER);
            byte[] buffer = new byte[1 << 16];
            int n;
            do { // SYNC_FLUSH ends on a byte boundary without ending the stream: a reply's block follows
                n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                out.write(buffer, 0, n);
            } while (n == buffer.length);
            CRC32 crc = new CRC32();
            crc.update(prefix);
            return new GzipPrefix(out.toByteArray(), (int) crc.getValue(), prefix.length);
        } finally {
            deflater.end();
        }
    }

    /** The gzip header and the compressed prefix: every reply's first bytes (do not modify). */
    public byte[] compressed() {
        return compressed;
    }

    /** What follows {@link #compressed()} in a reply whose body ends with {@code plainTail}. */
    public byte[] tail(byte[] plainTail) {
        if (plainTail.length > MAX_STORED) {
            throw new IllegalArgumentException("a tail of " + plainTail.length + " bytes is over a stored block");
        }
        byte[] out = new byte[5 + plainTail.length + 8];
        int len = plainTail.length;
        out[0] = 1; // BFINAL, BTYPE 00 (stored)
        out[1] = (byte) len;
        out[2] = (byte) (len >>> 8);
        out[3] = (byte) ~len;
        out[4] = (byte) (~len >>> 8);
        System.arraycopy(plainTail, 0, out, 5, len);
        int at = 5 + len;
        writeIntLittleEndian(out, at, crcContinued(prefixCrc, plainTail));
        writeIntLittleEndian(out, at + 4, prefixLength + len); // ISIZE is the length modulo 2^32
        return out;
    }

    /** The CRC-32 of the prefix followed by {@code more}, from the prefix's CRC alone. */
    private static int crcContinued(int crc, byte[] more) {
        int c = ~crc;
        for (byte b : more) {
            c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
        }
        return ~c;
    }

    private static int[] crcTable() {
        int[] table = new int[256];
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
            }
            table[n] = c;
        }
        return table;
    }

    private static void writeIntLittleEndian(byte[] out, int at, int value) {
        out[at] = (byte) value;
        out[at + 1] = (byte) (value >>> 8);
        out[at + 2] = (byte) (value >>> 16);
        out[at + 3] = (byte) (value >>> 24);
    }
}
