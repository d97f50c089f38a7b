package dev.registry.server.http;

import java.util.zip.CRC32C;

/** Strong entity tags from content: equal bytes, equal tag. */
public final class ETags {

    private ETags() {}

    public static String of(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        return "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(body.length) + "\"";
    }

    /**
     * The tag of another encoding of the same content: {@code "5c1d93a2-4b3f1"} with {@code gzip}
     * is {@code "5c1d93a2-4b3f1-gzip"}. Distinct per encoding, as a strong tag must be.
     */
    public static String ofEncoding(String etag, String coding) {
        return etag.substring(0, etag.length() - 1) + "-" + coding + "\"";
    }

    /** Whether an {@code If-None-Match} header value names {@code etag} (or is {@code *}). */
    public static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag) || c.equals("*")) {
                return true;
            }
        }
        return false;
    }
}
