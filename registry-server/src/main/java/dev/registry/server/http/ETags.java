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
