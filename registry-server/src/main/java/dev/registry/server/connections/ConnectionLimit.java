package dev.registry.server.connections;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Optional;

/**
 * How many connections the listener serves at once ({@code --max-connections}), and the hard
 * bound behind it. Beyond {@link #served()} a connection is answered 503 and closed at once; the
 * few descriptors between it and {@link #accepted()} are for those refusals. Helidon takes no new
 * connection past {@link #accepted()} (they wait in the kernel's backlog), so the listener never
 * asks the system for a descriptor it has not got: Helidon 4.5's listener stops for good on the
 * first {@code accept} that fails with "Too many open files".
 *
 * @param served   connections served at once
 * @param accepted connections open at once, refusals included
 * @param note     what the operator should know of this choice, if anything
 */
public record ConnectionLimit(int served, int accepted, Optional<String> note) {

    /** Descriptors the limit leaves free, when it is not known (not a Unix JVM). */
    private static final long UNKNOWN_FREE = 4096;

    /**
     * The limit for {@code requested} connections ({@code 0}: automatic) in this process, from its
     * file descriptor limit and the descriptors open now (the log, jars, the JVM's own).
     */
    public static ConnectionLimit forThisProcess(int requested) {
        // the class path's jars are opened as classes are first looked for, some only at the first
        // request: looking up a resource that is in none opens them all, so the count holds them
        ConnectionLimit.class.getClassLoader().getResource("dev/registry/server/connections/none");
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof UnixOperatingSystemMXBean unix) {
            return of(requested, unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount());
        }
        return of(requested, UNKNOWN_FREE, 0);
    }

    /**
     * The limit for {@code requested} connections ({@code 0}: automatic) with {@code maxDescriptors}
     * allowed and {@code openDescriptors} in use. Automatic serves half the free descriptors, and
     * keeps an eighth for refusals and the rest for the log's next files, snapshots, health checks
     * and what the JVM opens later.
     */
    static ConnectionLimit of(int requested, long maxDescriptors, long openDescriptors) {
        long free = Math.max(0, maxDescriptors - openDescriptors);
        if (requested == 0) {
            int served = Math.clamp(free / 2, 1, Integer.MAX_VALUE / 2);
            int refusals = Math.clamp(free / 8, 1, Integer.MAX_VALUE / 2);
            return new ConnectionLimit(served, served + refusals, Optional.empty());
        }
        int refusals = Math.clamp(requested / 8, 8, 1024);
        Optional<String> note = requested + (long) refusals > free
                ? Optional.of("--max-connections " + requested + " is more than the " + free
                        + " file descriptors this process has free (its limit is " + maxDescriptors
                        + "): if they run out, the listener stops and the registry exits")
                : Optional.empty();
        return new ConnectionLimit(requested, requested + refusals, note);
    }

    /** As the start's log line says it. */
    public String describe() {
        return served + " connections at once (" + (accepted - served) + " more are answered 503)";
    }
}
