package dev.registry.server.http;

import java.util.Map;
import java.util.Optional;

/**
 * What an endpoint sees of a request: decoded query parameters and a way to read the body. Keeps
 * the endpoints free of the web server's types.
 */
public final class ApiRequest {

    /** Reads the body, enforcing the size limit. */
    @FunctionalInterface
    public interface BodyReader {
        byte[] read();
    }

    private final Map<String, String> query;
    private final java.util.function.Function<String, Optional<String>> headers;
    private final BodyReader body;

    public ApiRequest(Map<String, String> query, java.util.function.Function<String, Optional<String>> headers,
                      BodyReader body) {
        this.query = Map.copyOf(query);
        this.headers = headers;
        this.body = body;
    }

    /** A request header's value, if sent. */
    public Optional<String> header(String name) {
        return headers.apply(name);
    }

    /** The first value of a query parameter, decoded. */
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** The whole body (empty when there is none); 413 when it is over the limit. */
    public byte[] body() {
        return body.read();
    }
}
