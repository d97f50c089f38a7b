package dev.registry.router.testing;

import dev.registry.router.RouterServer;
import dev.registry.router.RouterSettings;
import dev.registry.router.membership.StaticServices;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/** Routers for tests: on loopback, a free port, with static backends written to a real file. */
public final class RouterFixture {

    private RouterFixture() {}

    /** A router over {@code backendsJson} (the static services file's text) and these registries. */
    public static RouterServer start(
            Path dir, String backendsJson, List<String> registries, UnaryOperator<RouterSettings> customize) {
        try {
            Path file = Files.createTempFile(dir, "static-", ".json");
            Files.writeString(file, backendsJson);
            RouterSettings settings = RouterSettings.defaults(registries)
                    .withAddress("127.0.0.1", 0)
                    .withStaticServices(StaticServices.read(file));
            return RouterServer.start(customize.apply(settings));
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** A static services entry for a backend on loopback. */
    public static String entry(String name, int port, String metadataJson) {
        return "{\"name\":\"" + name + "\",\"host\":\"127.0.0.1\",\"port\":" + port + ",\"metadata\":" + metadataJson
                + "}";
    }

    /** A port nothing listens on (connections are refused). */
    public static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    /** A registry URL nobody answers at. */
    public static String nowhere() {
        return "http://127.0.0.1:" + closedPort();
    }
}
