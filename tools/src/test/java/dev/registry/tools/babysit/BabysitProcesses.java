package dev.registry.tools.babysit;

import dev.registry.server.testing.ChildJvm;
import dev.registry.server.testing.ChildRegistry;
import dev.registry.tools.RegistryTools;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Babysitters in child JVMs for tests, each with its output in a file, and the cleanup that ends
 * them and everything they started (a forced stop of a babysitter orphans its model server, and
 * matching children on their command line fails: the kernel's copy of a long class path is cut
 * short, and such servers outlived the tests).
 */
public final class BabysitProcesses implements AutoCloseable {

    private final List<Process> started = new ArrayList<>();

    /** {@code registry-tools babysit args…}, its output appended to {@code log}. */
    public Process start(Path log, List<String> args) throws IOException {
        List<String> all = new ArrayList<>(List.of("babysit"));
        all.addAll(args);
        Process p = new ProcessBuilder(ChildJvm.command(RegistryTools.class.getName(), all))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        started.add(p);
        return p;
    }

    /** The command line of a mock model server on {@code port} in a child JVM. */
    public static List<String> mockServer(int port, String... models) {
        return mockServerPaced(port, "20ms", models);
    }

    /** The same, with {@code chunkDelay} between the events of a stream. */
    public static List<String> mockServerPaced(int port, String chunkDelay, String... models) {
        return ChildJvm.command(
                MockModelServer.class.getName(),
                List.of(
                        "--port",
                        Integer.toString(port),
                        "--models",
                        String.join(",", models),
                        "--chunk-delay",
                        chunkDelay));
    }

    /** A free port whose successor is free too (the babysitter takes port + 1). */
    public static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p = ChildRegistry.freePort();
            try (ServerSocket next = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port pair");
    }

    @Override
    public void close() throws Exception {
        for (Process p : started) {
            List<ProcessHandle> children = p.descendants().toList(); // before a forced stop orphans them
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : children) {
                child.destroyForcibly();
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }
}
