package dev.registry.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for tests: raw requests, replies with the body parsed as JSON. */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final String base;
    private final String token;

    public Http(int port) {
        this("http://127.0.0.1:" + port, null);
    }

    private Http(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same server, every request with {@code Authorization: Bearer token}. */
    public Http withToken(String bearerToken) {
        return new Http(base, bearerToken);
    }

    /** A reply: status, headers and the body as text and as JSON. */
    public record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException ex) {
                throw new AssertionError("reply is not JSON: " + body, ex);
            }
        }

        public String contentType() {
            return headers.firstValue("content-type").orElse("");
        }
    }

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply post(String path, String body) {
        return send("POST", path, body);
    }

    public Reply put(String path, String body) {
        return send("PUT", path, body);
    }

    public Reply delete(String path) {
        return send("DELETE", path, null);
    }

    /** Sends {@code body} (or none when null) with no Content-Type, as the fleet's clients may. */
    public Reply send(String method, String path, String body) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(URI.create(base + path)).method(method, publisher));
    }

    public Reply send(HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r =
                    client.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * Sends {@code requestHead} (request line and headers, no blank line) over a plain socket, for
     * requests that {@link java.net.http.HttpClient} refuses to send, and returns the reply.
     */
    public Reply raw(String requestHead) {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write((requestHead + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(reply.substring(9, 12));
            int split = reply.indexOf("\r\n\r\n");
            java.util.Map<String, java.util.List<String>> headers = new java.util.HashMap<>();
            for (String line : reply.substring(0, split).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(
                            line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                            java.util.List.of(line.substring(colon + 1).trim()));
                }
            }
            return new Reply(status, reply.substring(split + 4), java.net.http.HttpHeaders.of(headers, (a, b) -> true));
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    public String base() {
        return base;
    }

    /**
     * A registration body with the required fields, {@code status} running and the given metadata
     * JSON. Host and URL are on loopback: a test's health check must never leave the machine.
     */
    public static String registration(String name, int port, String metadataJson) {
        return "{\"name\":" + quote(name) + ",\"host\":\"127.0.0.1\",\"port\":" + port
                + ",\"hostname\":\"node-1\",\"url\":\"http://127.0.0.1:" + port + "\",\"status\":\"running\""
                + (metadataJson == null ? "" : ",\"metadata\":" + metadataJson) + "}";
    }

    public static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Percent-encodes a name for a path segment. */
    public static String path(String name) {
        return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
