package dev.registry.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real file systems for disk tests: a size-limited tmpfs, a read-only bind mount. Mounting needs
 * privileges (root, as in this project's CI); where there are none, tests that need a mount are
 * skipped with a reason, and the simulated variants of the same tests still run.
 */
public final class Mounts {

    private Mounts() {}

    /** Whether this process may mount file systems here. */
    public static boolean available(Path scratch) {
        try {
            Path probe = Files.createDirectories(scratch.resolve("mount-probe"));
            if (run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.toString()) != 0) {
                return false;
            }
            return run("umount", probe.toString()) == 0;
        } catch (IOException ex) {
            return false;
        }
    }

    /** Mounts a tmpfs of {@code megabytes} at {@code dir} (created if needed). */
    public static void tmpfs(Path dir, int megabytes) throws IOException {
        Files.createDirectories(dir);
        require(run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString()), "mount tmpfs");
    }

    /** Shows {@code source} at {@code target} (created if needed), read-only. */
    public static void readOnlyView(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        require(run("mount", "--bind", source.toString(), target.toString()), "bind mount");
        require(run("mount", "-o", "remount,ro,bind", target.toString()), "remount read-only");
    }

    /** Unmounts {@code dir}; lazily, so that a test's failure cannot leave it busy. */
    public static void unmount(Path dir) {
        run("umount", "-l", dir.toString());
    }

    private static void require(int exit, String what) throws IOException {
        if (exit != 0) {
            throw new IOException(what + " failed with exit code " + exit);
        }
    }

    private static int run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException ex) {
            return -1;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
