package dev.registry.server.http;

import java.util.Map;

/**
 * A JSON reply: status, the encoded body and any extra headers.
 *
 * @param status  HTTP status code
 * @param body    UTF-8 JSON (or its first part, when {@code tail} is given)
 * @param tail    bytes sent after {@code body}, or {@code null}: lets a cached body go out with a
 *                fresh ending without copying the whole body per request
 * @param headers extra headers besides {@code Content-Type}
 */
public record ApiReply(int status, byte[] body, byte[] tail, Map<String, String> headers) {

    public ApiReply(int status, byte[] body, Map<String, String> headers) {
        this(status, body, null, headers);
    }

    public static ApiReply of(int status, byte[] body) {
        return new ApiReply(status, body, null, Map.of());
    }

    /** The whole body in one array (copies when there is a tail). */
    public byte[] wholeBody() {
        if (tail == null) {
            return body;
        }
        byte[] all = java.util.Arrays.copyOf(body, body.length + tail.length);
        System.arraycopy(tail, 0, all, body.length, tail.length);
        return all;
    }
}
