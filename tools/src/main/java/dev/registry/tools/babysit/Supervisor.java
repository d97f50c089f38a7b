package dev.registry.tools.babysit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the child command and restarts it when it exits, with exponential backoff (from the restart
 * delay, doubling to 30 s), giving up after too many restarts within a window. Its output is
 * copied line by line with a prefix.
 */
final class Supervisor {

    /** What to run: the command line, its working directory (or null) and extra environment. */
    record Child(List<String> command, java.nio.file.Path workDir, java.util.Map<String, String> env) {
        Child {
            command = List.copyOf(command);
            env = java.util.Map.copyOf(env);
        }
    }

    /** Told when a child starts and when it exits, on the supervisor's thread. */
    interface Events {
        void started();

        void exited();
    }

    /** Why {@link #run()} returned. */
    enum Outcome {
        STOPPED,
        GAVE_UP
    }

    private final Child childSpec;
    private final List<String> command;
    private final String prefix;
    private final PrintStream out;
    private final int maxRestarts;
    private final Duration window;
    private final Duration stopGrace;
    private final Duration restartDelay;
    private final Events events;
    private final AtomicInteger restarts = new AtomicInteger();
    private final Deque<Long> recentStarts = new ArrayDeque<>();
    private final Object lock = new Object();
    private volatile Process child;
    private volatile long childStartedNanos;
    private volatile boolean stopping;

    Supervisor(
            Child child,
            String prefix,
            PrintStream out,
            int maxRestarts,
            Duration window,
            Duration restartDelay,
            Duration stopGrace,
            Events events) {
        this.childSpec = child;
        this.command = child.command();
        this.prefix = prefix;
        this.out = out;
        this.maxRestarts = maxRestarts;
        this.window = window;
        this.restartDelay = restartDelay;
        this.stopGrace = stopGrace;
        this.events = events;
    }

    /** Supervises until {@link #stop()} or until it gives up. */
    Outcome run() throws InterruptedException {
        Duration backoff = restartDelay;
        while (!stopping) {
            Process p;
            try {
                p = start();
            } catch (IOException ex) {
                out.println(prefix + "cannot start " + command + ": " + ex.getMessage());
                p = null;
            }
            if (p != null) {
                int code = p.waitFor();
                events.exited();
                if (stopping) {
                    break;
                }
                boolean ranLong = System.nanoTime() - childStartedNanos > window.toNanos();
                out.println(prefix + "child exited with " + code + "; restarting");
                if (ranLong) {
                    backoff = restartDelay;
                }
            }
            if (tooManyRestarts()) {
                out.println(prefix + "giving up: more than " + maxRestarts + " restarts within " + window.toSeconds()
                        + " s");
                return Outcome.GAVE_UP;
            }
            synchronized (lock) {
                if (!stopping) {
                    lock.wait(Math.max(1, backoff.toMillis()));
                }
            }
            backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                    ? Duration.ofSeconds(30)
                    : backoff.multipliedBy(2);
            restarts.incrementAndGet();
        }
        return Outcome.STOPPED;
    }

    private Process start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (childSpec.workDir() != null) {
            builder.directory(childSpec.workDir().toFile());
        }
        builder.environment().putAll(childSpec.env());
        Process p = builder.start();
        childStartedNanos = System.nanoTime();
        child = p;
        synchronized (recentStarts) {
            recentStarts.addLast(childStartedNanos);
        }
        copy(p.getInputStream());
        copy(p.getErrorStream());
        out.println(prefix + "started pid " + p.pid() + ": " + String.join(" ", command));
        events.started();
        return p;
    }

    private boolean tooManyRestarts() {
        long now = System.nanoTime();
        synchronized (recentStarts) {
            while (!recentStarts.isEmpty() && now - recentStarts.peekFirst() > window.toNanos()) {
                recentStarts.pollFirst();
            }
            return recentStarts.size() > maxRestarts;
        }
    }

    private void copy(InputStream stream) {
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.println(prefix + line);
                }
            } catch (IOException closed) {
                // the child is gone
            }
        });
    }

    /** Stops the child: SIGTERM, then SIGKILL after the grace period; no restart follows. */
    void stop() {
        stopping = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        Process p = child;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                    out.println(prefix + "child ignored SIGTERM for " + stopGrace.toSeconds() + " s; killing it");
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean childAlive() {
        Process p = child;
        return p != null && p.isAlive();
    }

    /** The running child's pid, or -1. */
    long childPid() {
        Process p = child;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    int restarts() {
        return restarts.get();
    }
}
