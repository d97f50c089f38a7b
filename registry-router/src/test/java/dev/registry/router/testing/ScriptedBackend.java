package dev.registry.router.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A backend for router tests on a plain server socket, so that a test can script exactly what the
 * router sees: replies byte by byte, chunks held back, a connection cut or reset at any point. It
 * keeps every request it received.
 */
public final class ScriptedBackend implements AutoCloseable {

    /** A request as received: header names in lower case. */
    public record Request(String method, String target, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.getFirst();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What the backend does with one request. */
    @FunctionalInterface
    public interface Script {
        void reply(Request request, Reply reply) throws Exception;
    }

    /** Writes a reply on the connection. */
    public static final class Reply {
        private final Socket socket;
        private final OutputStream out;
        private boolean closed;

        Reply(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        /** A whole reply with a Content-Length. */
        public void send(int status, String contentType, String body, String... headers) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + bytes.length + "\r\n");
            for (String h : headers) {
                head.append(h).append("\r\n");
            }
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
        }

        public void json(int status, String body, String... headers) throws IOException {
            send(status, "application/json", body, headers);
        }

        /** The head of a chunked reply. */
        public void startChunked(int status, String contentType) throws IOException {
            out.write(("HTTP/1.1 " + status + " X\r\nContent-Type: " + contentType
                            + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        public void chunk(String data) throws IOException {
            byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        public void endChunks() throws IOException {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Raw bytes, as they are. */
        public void raw(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        /** Closes the connection wherever the reply is, as a process that dies mid-reply does. */
        public void cut() throws IOException {
            socket.close();
            closed = true;
        }
    }

    private final ServerSocket server;
    private final Script script;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> connections = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closing;

    public ScriptedBackend(Script script) {
        this.script = script;
        try {
            server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        Thread.ofVirtual().name("scripted-backend").start(this::accept);
    }

    /** A backend answering every request with 200 and {@code {"ok":true}}. */
    public static ScriptedBackend ok() {
        return new ScriptedBackend((request, reply) -> reply.json(200, "{\"ok\":true}"));
    }

    public int port() {
        return server.getLocalPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    private void accept() {
        while (!closing) {
            try {
                Socket s = server.accept();
                connections.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException ex) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            while (true) {
                Request request = read(in);
                if (request == null) {
                    return;
                }
                requests.add(request);
                Reply reply = new Reply(socket);
                script.reply(request, reply);
                if (reply.closed || "close".equalsIgnoreCase(request.header("connection"))) {
                    return;
                }
            }
        } catch (Exception ex) {
            // the connection is gone; the test sees what the router did about it
        }
    }

    private static Request read(InputStream in) throws IOException {
        String line = line(in);
        if (line == null || line.isEmpty()) {
            return null;
        }
        String[] parts = line.split(" ");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(h.substring(colon + 1).trim());
        }
        int length = headers.containsKey("content-length")
                ? Integer.parseInt(headers.get("content-length").getFirst())
                : 0;
        return new Request(parts[0], parts[1], headers, in.readNBytes(length));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return null;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        closing = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (connections) {
            for (Socket s : connections) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
