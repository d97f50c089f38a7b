package dev.registry.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The optional shared secret: with a token configured, writes (and reads too, if asked) need
 * {@code Authorization: Bearer <token>}. Compared in constant time, so the time of a refusal says
 * nothing about how much of a guess was right.
 */
public final class BearerToken {

    private final byte[] expected;
    private final boolean forReads;

    /**
     * @param token    the secret, or {@code null} for an open registry
     * @param forReads whether reads need it too
     */
    public BearerToken(String token, boolean forReads) {
        this.expected = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.forReads = forReads;
    }

    /** Whether a token is configured at all: without one, no request needs it. */
    public boolean configured() {
        return expected != null;
    }

    /** Whether a request with this method and path must show the token. */
    public boolean required(String method, String rawPath) {
        if (!configured() || "/health".equals(rawPath) || isOpen(rawPath)) {
            return false; // the registry's own health stays open for load balancers
        }
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        return !read || forReads;
    }

    /**
     * Paths that are never secret: the orchestrator's probes ({@code /observe/health...}) and the
     * dashboard's static files ({@code /ui...}), which hold no data and ask for the token themselves.
     */
    private static boolean isOpen(String rawPath) {
        return under(rawPath, "/observe/health") || under(rawPath, "/ui");
    }

    private static boolean under(String rawPath, String prefix) {
        return rawPath.startsWith(prefix)
                && (rawPath.length() == prefix.length() || rawPath.charAt(prefix.length()) == '/');
    }

    /**
     * Whether a request with this {@code Authorization} header may write: on an open registry any
     * request may; with a token, one that carries it. For an endpoint that reads but may also
     * record what it found ({@code GET /services/{name}/health}).
     */
    public boolean allowsWrites(Optional<String> authorization) {
        return !configured() || accepts(authorization);
    }

    /** Whether an {@code Authorization} header value carries the token. */
    public boolean accepts(Optional<String> authorization) {
        if (authorization.isEmpty() || !authorization.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.get().substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }
}
