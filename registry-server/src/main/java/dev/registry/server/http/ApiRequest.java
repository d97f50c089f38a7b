package dev.registry.server.http;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an endpoint sees of a request: decoded path parameters and query parameters, headers, and
 * a way to read the body (within the limits the {@link RequestBodies} filter set). Keeps the
 * endpoints free of the web server's types.
 */
public final class ApiRequest {

    /** Reads the body, enforcing the size limit and the deadline. */
    @FunctionalInterface
    public interface BodyReader {
        byte[] read();
    }

    private final Map<String, String> path;
    private final Map<String, String> query;
    private final Function<String, Optional<String>> headers;
    private final BodyReader body;

    public ApiRequest(
            Map<String, String> path,
            Map<String, String> query,
            Function<String, Optional<String>> headers,
            BodyReader body) {
        this.path = path;
        this.query = query;
        this.headers = headers;
        this.body = body;
    }

    /** A request with query parameters only (tests, and endpoints called by other endpoints). */
    public static ApiRequest ofQuery(Map<String, String> query) {
        return new ApiRequest(Map.of(), Map.copyOf(query), name -> Optional.empty(), () -> new byte[0]);
    }

    /** A path parameter, decoded: {@code name} of {@code /services/{name}}. */
    public String path(String name) {
        String value = path.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no path parameter '" + name + "'");
        }
        return value;
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
