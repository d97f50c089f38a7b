package dev.registry.server.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection over a plain socket, byte for byte: what an HTTP client library would
 * hide (a body after a HEAD reply, a connection left open, a request it refuses to send).
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;

    public RawHttp(int port) {
        this(port, 0);
    }

    /**
     * A connection whose socket receive buffer is {@code receiveBuffer} bytes (0: the system's),
     * for a client that reads slowly or not at all.
     */
    public RawHttp(int port, int receiveBuffer) {
        try {
            socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer); // before connecting, so the window is small from the start
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            // a bound for a reply that never comes, not a measure of speed
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A reply as it came: status line, headers (names in lower case) and the body its framing gave. */
    public record Reply(String statusLine, int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Sends {@code request} exactly as given (ISO-8859-1). */
    public RawHttp send(String request) {
        return send(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] request) {
        try {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return this;
    }

    /** Reads the next reply, its body framed by Content-Length or chunks. */
    public Reply reply() {
        return reply(false);
    }

    /** Reads the next reply to a HEAD: the headers only, whatever they say of a body. */
    public Reply replyToHead() {
        return reply(true);
    }

    private Reply reply(boolean head) {
        try {
            String statusLine = line();
            if (statusLine == null) {
                throw new AssertionError("the server closed the connection without a reply");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = line(); line != null && !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            byte[] body = new byte[0];
            if (!head && headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if (!head && "chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = chunks();
            }
            return new Reply(statusLine, status, headers, body);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private byte[] chunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line(), 16); size > 0; size = Integer.parseInt(line(), 16)) {
            body.write(in.readNBytes(size));
            line();
        }
        line(); // after the last chunk
        return body.toByteArray();
    }

    /**
     * Whether the server closed the connection: the next read ends the stream (or the connection
     * is reset) rather than waiting for more. Call it where nothing more is due from the server.
     */
    public boolean closedByServer() {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
