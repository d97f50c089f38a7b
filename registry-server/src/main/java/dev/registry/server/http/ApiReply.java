package dev.registry.server.http;

import java.util.Map;

/**
 * A JSON reply: status, the encoded body and any extra headers.
 *
 * @param status  HTTP status code
 * @param body    UTF-8 JSON
 * @param headers extra headers besides {@code Content-Type}
 */
public record ApiReply(int status, byte[] body, Map<String, String> headers) {

    public static ApiReply of(int status, byte[] body) {
        return new ApiReply(status, body, Map.of());
    }
}
