package dev.registry.server.http;

import io.helidon.webserver.http.ServerRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A request's raw path split into percent-decoded segments. Splitting before decoding is what
 * lets a service name contain {@code /} (sent as {@code %2F}). {@code +} stays a plus: it only
 * means space in query strings. Split once per request; every {@link ApiRoute} reads it.
 *
 * @param rawPath  the path as sent
 * @param segments the decoded segments; "/services/a%2Fb" gives [services, a/b]
 */
record RequestPath(String rawPath, List<String> segments) {

    /**
     * The last path split on this thread. Helidon serves a connection's requests one after another
     * on one thread, and every route of a request asks for the same path: a look-up in the request's
     * context cost more than the split. The segments depend on the raw path alone, so a kept one
     * is never wrong, only reused.
     */
    private static final ThreadLocal<RequestPath[]> LAST = ThreadLocal.withInitial(() -> new RequestPath[1]);

    /** The request's path, split once for all the routes that look at it. */
    static RequestPath of(ServerRequest req) {
        String rawPath = req.path().rawPath();
        RequestPath[] last = LAST.get(); // changed in place: a thread-local's set also sweeps its map
        RequestPath known = last[0];
        if (known != null && known.rawPath().equals(rawPath)) { // a reroute changes the path
            return known;
        }
        RequestPath path = new RequestPath(rawPath, split(rawPath));
        last[0] = path;
        return path;
    }

    /** The decoded segments of {@code rawPath}. */
    static List<String> split(String rawPath) {
        String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        int count = 1;
        for (int i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
            count++;
        }
        String[] segments = new String[count];
        int start = 0;
        for (int k = 0; k < count; k++) {
            int slash = k == count - 1 ? path.length() : path.indexOf('/', start);
            segments[k] = decode(path.substring(start, slash));
            start = slash + 1;
        }
        return List.of(segments); // shared by the routes, and by the next request on the path
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
