package dev.registry.server.http;

import io.helidon.webserver.http.ServerRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request's raw path split into percent-decoded segments. Splitting before decoding is what
 * lets a service name contain {@code /} (sent as {@code %2F}). {@code +} stays a plus: it only
 * means space in query strings. Split once per request; every {@link ApiRoute} reads it.
 *
 * @param rawPath  the path as sent
 * @param segments the decoded segments; "/services/a%2Fb" gives [services, a/b]
 */
record RequestPath(String rawPath, List<String> segments) {

    /** The request's path, split on first use and kept in its context. */
    static RequestPath of(ServerRequest req) {
        String rawPath = req.path().rawPath();
        Optional<RequestPath> known = req.context().get(RequestPath.class);
        if (known.isPresent() && known.get().rawPath().equals(rawPath)) { // a reroute changes the path
            return known.get();
        }
        RequestPath path = new RequestPath(rawPath, split(rawPath));
        req.context().register(path);
        return path;
    }

    /** The decoded segments of {@code rawPath}. */
    static List<String> split(String rawPath) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        List<String> segments = new ArrayList<>();
        int start = 0;
        while (true) {
            int slash = path.indexOf('/', start);
            segments.add(decode(slash < 0 ? path.substring(start) : path.substring(start, slash)));
            if (slash < 0) {
                return segments;
            }
            start = slash + 1;
        }
    }

    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw ApiException.badRequest("Malformed percent-encoding in path");
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw ApiException.badRequest("Malformed percent-encoding in path");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < segment.length()) {
                    bytes = segment.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(bytes);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
