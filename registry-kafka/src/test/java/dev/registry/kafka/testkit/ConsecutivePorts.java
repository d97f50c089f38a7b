package dev.registry.kafka.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs of consecutive free ports, for {@code bin/kafka-local} (brokers, then the controller, one
 * port after another). They are drawn between 20000 and 30000, below the ephemeral range from
 * which the system hands other tests' sockets their ports.
 */
public final class ConsecutivePorts {

    private ConsecutivePorts() {}

    /** The first of {@code count} consecutive ports on 127.0.0.1 that nothing listens on now. */
    public static int free(int count) {
        for (int tries = 0; tries < 200; tries++) {
            int first = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (allFree(first, count)) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports between 20000 and 30000");
    }

    private static boolean allFree(int first, int count) {
        for (int p = first; p < first + count; p++) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}
