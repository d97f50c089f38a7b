package dev.registry.server.config;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/**
 * Checks, before a start opens the log, that the server will be able to listen where it was told
 * to: a start that cannot serve must fail at once with one clear line and leave the log as it was.
 */
public final class ListenAddress {

    private ListenAddress() {}

    /**
     * Binds {@code host:port} for a moment and lets it go.
     *
     * @throws IllegalStateException naming the port and the reason when it cannot be bound
     */
    public static void requireFree(String host, int port) {
        if (port == 0) {
            return; // any free port: always possible
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalStateException("cannot listen on " + host + ": the host name does not resolve");
        }
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true); // as the web server binds
            probe.bind(address);
        } catch (BindException ex) {
            throw new IllegalStateException(unavailable(host, port, ex), ex);
        } catch (IOException ex) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + ex.getMessage(), ex);
        }
    }

    /** The one line that says why {@code host:port} cannot be bound. */
    public static String unavailable(String host, int port, IOException cause) {
        String why = cause == null || cause.getMessage() == null ? "" : cause.getMessage();
        if (why.contains("already in use")) {
            return "port " + port + " on " + host + " is already in use";
        }
        if (why.contains("assign requested address")) {
            return "cannot listen on " + host + ":" + port + ": " + host + " is not an address of this machine";
        }
        if (why.contains("ermission denied")) {
            return "cannot listen on " + host + ":" + port + ": permission denied (ports below 1024 need privileges)";
        }
        return "cannot listen on " + host + ":" + port + (why.isEmpty() ? "" : ": " + why);
    }
}
