package dev.registry.server.http;

import java.util.Map;

/**
 * A JSON reply: status, the encoded body (or how to stream it) and any extra headers.
 *
 * @param status  HTTP status code
 * @param body    UTF-8 JSON (or its first part, when {@code tail} is given); empty when streamed
 * @param tail    bytes sent after {@code body}, or {@code null}: lets a cached body go out with a
 *                fresh ending without copying the whole body per request
 * @param headers extra headers besides {@code Content-Type}
 * @param stream  writes the body straight to the connection, or {@code null}: for replies too big
 *                to build whole in memory (time travel, diffs); such a reply has no {@code ETag}
 */
public record ApiReply(int status, byte[] body, byte[] tail, Map<String, String> headers, ReplyJson.Body stream) {

    private static final byte[] NONE = new byte[0];

    public ApiReply(int status, byte[] body, byte[] tail, Map<String, String> headers) {
        this(status, body, tail, headers, null);
    }

    public ApiReply(int status, byte[] body, Map<String, String> headers) {
        this(status, body, null, headers, null);
    }

    public static ApiReply of(int status, byte[] body) {
        return new ApiReply(status, body, null, Map.of(), null);
    }

    /** A reply whose body {@code stream} writes as it is sent, never whole in memory. */
    public static ApiReply streamed(int status, ReplyJson.Body stream) {
        return new ApiReply(status, NONE, null, Map.of(), stream);
    }

    /** The whole body in one array (copies when there is a tail). */
    public byte[] wholeBody() {
        if (stream != null) {
            return ReplyJson.encode(stream);
        }
        if (tail == null) {
            return body;
        }
        byte[] all = java.util.Arrays.copyOf(body, body.length + tail.length);
        System.arraycopy(tail, 0, all, body.length, tail.length);
        return all;
    }
}
