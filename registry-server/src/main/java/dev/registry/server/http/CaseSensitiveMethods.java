package dev.registry.server.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.http.DirectHandler.EventType;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http.DirectTransportRequest;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * Helidon's HTTP/1.1 connections, with request methods case-sensitive (RFC 9110 9.1): Helidon 4.5
 * upper-cases a method while it reads the request line, so {@code get} would be served as
 * {@code GET}. Its connection here reads through a {@link LastReadKeeper}, and a listener told of
 * each request line compares the method Helidon parsed with the bytes that came: another case is
 * a 501 (the connection is closed after it, as after every error Helidon answers itself).
 * The connections also bound how long a request's headers may take ({@link HeadDeadline}).
 * Given to the web server as its only connection selector (no protocol discovered beside it), it
 * takes every connection at once, as Helidon's own would.
 */
public final class CaseSensitiveMethods implements ServerConnectionSelector, AutoCloseable {

    private final HeadDeadline headDeadline;
    private final ServerConnectionSelector http1;

    /** @param headTimeout longest a request's headers may take after its request line */
    public CaseSensitiveMethods(Duration headTimeout) {
        this.headDeadline = new HeadDeadline(headTimeout);
        this.http1 = Http1ConnectionSelector.builder()
                .config(Http1Config.builder()
                        .addReceiveListener(new Both(new MethodCheck(), headDeadline))
                        .build())
                .build();
    }

    /** Stops the head deadlines' timer. */
    @Override
    public void close() {
        headDeadline.close();
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData data) {
        return Support.SUPPORTED; // what is no HTTP/1.1 gets Helidon's own answer (426 for HTTP/1.0)
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return http1.connection(
                new Reading(ctx, new LastReadKeeper(ctx.dataReader()), headDeadline.watch(ctx.serverSocket())));
    }

    /**
     * Two listeners as one: Helidon 4.5 composes several receive listeners into one that passes on
     * no request line and no headers (its list listener overrides neither).
     */
    private record Both(Http1ConnectionListener first, Http1ConnectionListener second)
            implements Http1ConnectionListener {
        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            first.prologue(ctx, prologue);
            second.prologue(ctx, prologue);
        }

        @Override
        public void headers(ConnectionContext ctx, Headers headers) {
            first.headers(ctx, headers);
            second.headers(ctx, headers);
        }
    }

    /** Compares the parsed method with the request line's own bytes. */
    private static final class MethodCheck implements Http1ConnectionListener {
        @Override
        public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
            if (!(ctx.dataReader() instanceof LastReadKeeper reader)) {
                return;
            }
            byte[] line = reader.lastRead(); // the request line: Helidon reads it with one readBytes
            String method = prologue.method().text();
            if (!startsWithMethod(line, method)) {
                int space = indexOfSpace(line);
                String sent = new String(line, 0, space < 0 ? line.length : space, StandardCharsets.US_ASCII);
                throw RequestException.builder()
                        .type(EventType.OTHER)
                        .status(Status.NOT_IMPLEMENTED_501)
                        .request(DirectTransportRequest.create(
                                prologue.protocol() + "/" + prologue.protocolVersion(),
                                sent,
                                prologue.uriPath().rawPath()))
                        .setKeepAlive(false)
                        .message("Method " + sent + " is not implemented")
                        .build();
            }
        }

        private static boolean startsWithMethod(byte[] line, String method) {
            if (line.length <= method.length() || line[method.length()] != ' ') {
                return false;
            }
            for (int i = 0; i < method.length(); i++) {
                if (line[i] != method.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private static int indexOfSpace(byte[] line) {
            for (int i = 0; i < line.length; i++) {
                if (line[i] == ' ') {
                    return i;
                }
            }
            return -1;
        }
    }

    /** A data reader over another that keeps what its last {@link #readBytes} returned. */
    static final class LastReadKeeper extends DataReader {
        private byte[] lastRead = new byte[0];

        @SuppressWarnings("removal") // DataReader.create cannot make a subclass
        LastReadKeeper(DataReader source) {
            super(pullFrom(source));
        }

        private static Supplier<byte[]> pullFrom(DataReader source) {
            return () -> {
                try {
                    source.ensureAvailable();
                } catch (DataReader.InsufficientDataAvailableException closed) {
                    return null; // the end of the stream, as a DataReader's supplier says it
                }
                return source.readBytes(source.available());
            };
        }

        @Override
        public byte[] readBytes(int len) {
            byte[] bytes = super.readBytes(len);
            lastRead = bytes;
            return bytes;
        }

        byte[] lastRead() {
            return lastRead;
        }
    }

    /** The connection's context with another data reader, and the watch of its request heads. */
    private record Reading(ConnectionContext ctx, DataReader reader, HeadDeadline.Watch headWatch)
            implements ConnectionContext, HeadDeadline.Watched {
        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public PeerInfo remotePeer() {
            return ctx.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return ctx.localPeer();
        }

        @Override
        public boolean isSecure() {
            return ctx.isSecure();
        }

        @Override
        public String socketId() {
            return ctx.socketId();
        }

        @Override
        public String childSocketId() {
            return ctx.childSocketId();
        }

        @Override
        public ListenerContext listenerContext() {
            return ctx.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return ctx.executor();
        }

        @Override
        public DataWriter dataWriter() {
            return ctx.dataWriter();
        }

        @Override
        public Router router() {
            return ctx.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return ctx.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return ctx.serverSocket();
        }
    }
}
